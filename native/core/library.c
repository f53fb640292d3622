/* Loading shared libraries and looking up symbols (dlfcn). */
#define _GNU_SOURCE
#include "library.h"
#include "util.h"
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>

/* dlopen(name: string | null, mode: number) -> handle (number) | error message (string) */
static napi_value Dlopen(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_valuetype t;
  CHECK(env, napi_typeof(env, argv[0], &t));
  int32_t mode;
  if (!get_i32(env, argv[1], &mode)) return NULL;
  char *name = NULL;
  if (t != napi_null) {
    name = get_string(env, argv[0]);
    if (!name) return NULL;
  }
  dlerror();
  void *h = dlopen(name, mode);
  free(name);
  if (!h) {
    const char *err = dlerror();
    napi_value msg;
    CHECK(env, napi_create_string_utf8(env, err ? err : "dlopen failed", NAPI_AUTO_LENGTH, &msg));
    return msg;
  }
  return make_address(env, h);
}

/* dlsym(handle, name) -> address (number) | null */
static napi_value Dlsym(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *h;
  if (!get_address(env, argv[0], &h)) return NULL;
  char *name = get_string(env, argv[1]);
  if (!name) return NULL;
  dlerror();
  void *sym = dlsym(h, name);
  const char *err = dlerror();
  free(name);
  if (err || !sym) {
    napi_value nul;
    CHECK(env, napi_get_null(env, &nul));
    return nul;
  }
  return make_address(env, sym);
}

/* dlclose(handle) -> undefined */
static napi_value Dlclose(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *h;
  if (!get_address(env, argv[0], &h)) return NULL;
  if (h && dlclose(h) != 0) {
    const char *err = dlerror();
    return throw_error(env, "ERR_DLCLOSE", "%s", err ? err : "dlclose failed");
  }
  return NULL;
}

/* The number of entries in a loaded object's dynamic symbol table: from DT_HASH's nchain, or by walking
 * DT_GNU_HASH's buckets and chains to the last symbol (the ELF tables have no count of their own). */
static size_t dynsym_count(const ElfW(Word) *hash, const ElfW(Word) *gnu) {
  if (hash) return hash[1];
  if (!gnu) return 0;
  const ElfW(Word) nbuckets = gnu[0], symoffset = gnu[1], bloom_size = gnu[2];
  const ElfW(Word) *buckets = (const ElfW(Word) *)((const ElfW(Addr) *)(gnu + 4) + bloom_size);
  const ElfW(Word) *chains = buckets + nbuckets;
  ElfW(Word) last = 0;
  for (ElfW(Word) b = 0; b < nbuckets; b++)
    if (buckets[b] > last) last = buckets[b];
  if (last < symoffset) return symoffset;
  while (!(chains[last - symoffset] & 1)) last++;
  return (size_t)last + 1;
}

/* Dynamic-section pointers are relocated in place by glibc on most targets; add the load base where not. */
static const void *dyn_ptr(ElfW(Addr) base, ElfW(Addr) p) {
  return (const void *)(p < base ? base + p : p);
}

/* shadowedExports(handle, max) -> string[]: the functions the library defines and exports
 * that the process's global scope (the program and what it loaded globally) already defines elsewhere.
 * With the default lookup order, the library's calls to those names bind to the other definitions (Node
 * exports its bundled zlib and OpenSSL, for one). At most `max` names. Empty where not determinable. */
static napi_value ShadowedExports(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *h;
  int32_t max;
  if (!get_address(env, argv[0], &h) || !get_i32(env, argv[1], &max)) return NULL;
  CHECK(env, napi_create_array(env, &out));
  struct link_map *map = NULL;
  if (!h || dlinfo(h, RTLD_DI_LINKMAP, &map) != 0 || !map || !map->l_ld) return out;
  const ElfW(Addr) base = map->l_addr;
  const ElfW(Sym) *symtab = NULL;
  const char *strtab = NULL;
  const ElfW(Word) *hash = NULL, *gnu = NULL;
  const ElfW(Half) *versym = NULL;
  for (const ElfW(Dyn) *d = map->l_ld; d->d_tag != DT_NULL; d++) {
    switch (d->d_tag) {
      case DT_SYMTAB: symtab = dyn_ptr(base, d->d_un.d_ptr); break;
      case DT_STRTAB: strtab = dyn_ptr(base, d->d_un.d_ptr); break;
      case DT_HASH: hash = dyn_ptr(base, d->d_un.d_ptr); break;
      case DT_GNU_HASH: gnu = dyn_ptr(base, d->d_un.d_ptr); break;
      case DT_VERSYM: versym = dyn_ptr(base, d->d_un.d_ptr); break;
      default: break;
    }
  }
  if (!symtab || !strtab) return out;
  const size_t n = dynsym_count(hash, gnu);
  uint32_t found = 0;
  for (size_t i = 1; i < n && (int32_t)found < max; i++) {
    const ElfW(Sym) *sym = &symtab[i];
    const int type = ELF64_ST_TYPE(sym->st_info), bind = ELF64_ST_BIND(sym->st_info);
    /* functions only (variables the program defines are copy relocations, meant to be shared), and only
     * the default version of a versioned name (the older versions are not bound by name) */
    if (sym->st_shndx == SHN_UNDEF || (type != STT_FUNC && type != STT_GNU_IFUNC)) continue;
    if ((bind != STB_GLOBAL && bind != STB_WEAK) || ELF64_ST_VISIBILITY(sym->st_other) != STV_DEFAULT) continue;
    if (versym && (versym[i] & 0x8000)) continue;
    const char *name = strtab + sym->st_name;
    void *global = dlsym(RTLD_DEFAULT, name);
    if (!global) continue;
    /* defined by this same object (it was already loaded globally, as libc and libm are): no other definition */
    Dl_info where;
    struct link_map *owner = NULL;
    if (dladdr1(global, &where, (void **)&owner, RTLD_DL_LINKMAP) && owner == map) continue;
    napi_value s;
    CHECK(env, napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &s));
    CHECK(env, napi_set_element(env, out, found++, s));
  }
  return out;
}

napi_status register_library(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"dlopen", NULL, Dlopen, NULL, NULL, NULL, napi_default, NULL},
    {"dlsym", NULL, Dlsym, NULL, NULL, NULL, napi_default, NULL},
    {"dlclose", NULL, Dlclose, NULL, NULL, NULL, napi_default, NULL},
    {"shadowedExports", NULL, ShadowedExports, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, COUNT(props), props);
}
