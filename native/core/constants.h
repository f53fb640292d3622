/* Numbers the TypeScript side and the native core agree on. They are defined here
 * only: the core exports them at init (addon.c, `constants`), and TypeScript reads
 * them from there (src/native.ts), never from a copy. */
#ifndef TSCTYPES_CONSTANTS_H
#define TSCTYPES_CONSTANTS_H

/* Argument slab layout (bytes). The slab is an ArrayBuffer created by JS and shared
 * with the core; JS writes a call's arguments into it and calls an entry with no JS
 * arguments. */
#define SLAB_PLAN_ID      0   /* int32: plan to run */
#define SLAB_THROWN       4   /* int32: THROWN_* (set by accelerator entries, checked by the marshaller) */
#define SLAB_ERRNO        8   /* int32: ctypes-private errno copy (use_errno plans) */
#define SLAB_RESULT       16  /* 16 bytes: scalar result, or a pointer to the result buffer */
#define SLAB_ARGS         32  /* 8-byte slots, one per argument */
#define SLAB_MAX_ARGS     256
#define SLAB_ZERO         (SLAB_ARGS + 8 * SLAB_MAX_ARGS)  /* 8 zero bytes: unused registers load these */
#define SLAB_CB_RESULT    (SLAB_ZERO + 8)   /* 16 bytes: a JS callback's result */
#define SLAB_CB_ARGS      (SLAB_CB_RESULT + 16) /* 8-byte slots: a JS callback's arguments */
#define SLAB_CB_MAX_ARGS  64
#define SLAB_SCRATCH      (SLAB_CB_ARGS + 8 * SLAB_CB_MAX_ARGS)
#define SLAB_MIN_SIZE     (SLAB_SCRATCH + 4096)

/* SLAB_THROWN values */
enum {
  THROWN_NONE = 0,
  THROWN_BOX = 1,      /* an exception waits in the thrown box: the marshaller throws it */
  THROWN_DECLINED = 2, /* a fast entry declined the call: the marshaller runs it through its plain entry */
  THROWN_PENDING = 3   /* a fast call ran, and left an error in the core's pending error: the marshaller throws it */
};

/* Type codes. Codes >= TYPE_STRUCT_BASE name struct types registered with structType(). */
enum {
  TYPE_VOID = 0, TYPE_UINT8, TYPE_SINT8, TYPE_UINT16, TYPE_SINT16,
  TYPE_UINT32, TYPE_SINT32, TYPE_UINT64, TYPE_SINT64,
  TYPE_FLOAT, TYPE_DOUBLE, TYPE_LONGDOUBLE, TYPE_POINTER,
  TYPE_PRIMITIVE_COUNT,
  TYPE_STRUCT_BASE = 100
};

/* Plan flags. */
enum {
  PLAN_USE_ERRNO = 1,       /* swap errno with the slab's private copy around the call */
  PLAN_INDIRECT_RESULT = 2, /* the result slot holds a pointer to the result buffer (set by the core) */
  PLAN_NO_CALLBACKS = 4     /* not expected to call back into JS: fast entries run it while callbacks are open */
};

/* How a register-path call returns (a register map's first entry). */
enum {
  REG_RET_NONE = 0,     /* not on the register path: libffi */
  REG_RET_INT,          /* integer register -> result slot */
  REG_RET_DOUBLE,       /* vector register (8 bytes) -> result slot */
  REG_RET_FLOAT,        /* vector register (4 bytes) -> result slot */
  REG_RET_AGG_I,        /* small aggregate in one integer register -> result buffer */
  REG_RET_AGG_D,        /* ... in one vector register */
  REG_RET_AGG_II,       /* two eightbytes: integer, integer */
  REG_RET_AGG_ID,
  REG_RET_AGG_DI,
  REG_RET_AGG_DD,
  REG_RET_MEMORY        /* aggregate returned through the hidden pointer (passed as the first integer argument) */
};

/* A register map's slot index for the result slot (the hidden result pointer of REG_RET_MEMORY). */
#define REG_SLOT_RESULT (-2)

/* Typed entries (accelerators): the float kind and the result class of a shape. */
enum { TYPED_FLOAT_DOUBLE = 0, TYPED_FLOAT_FLOAT = 1 };
enum { TYPED_RET_VOID = 0, TYPED_RET_INT32, TYPED_RET_FLOAT, TYPED_RET_DOUBLE };

#endif
