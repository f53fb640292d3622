# The hand-written V8 fast-API addon (the floor). Built by bench/run.js with
# the bench's own node-gyp, like napi-addon:
#   node-gyp rebuild --nodedir=<node prefix>    (cwd: bench/v8fast-addon)
# It includes native/v8/v8-fast-api.h (the declarations of V8's fast-API types
# that Node 20 does not install) and links bench/build/libbench.so.
{
  "targets": [
    {
      "target_name": "bench_v8fast",
      "sources": ["bench_v8fast.cc"],
      "include_dirs": ["../lib"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-cast-function-type"],
      "libraries": [
        "-L<(module_root_dir)/../build",
        "-lbench",
        "-Wl,-rpath,<(module_root_dir)/../build"
      ]
    }
  ]
}
