/* The platform's calling convention, as far as the native core needs it: how many
 * argument registers the register path (regcall) and the register trampolines load.
 * One place per ABI; where it is not described, both are off and libffi does all. */
#ifndef TSCTYPES_ABI_H
#define TSCTYPES_ABI_H

#if defined(__x86_64__) && !defined(_WIN32)            /* System V AMD64 */
#define REG_INT 6
#define REG_FLOAT 8
#define REG_STACK_WORDS 8 /* 8-byte words passed on the stack after the registers */
#elif defined(__aarch64__) && !defined(__APPLE__) && !defined(_WIN32) /* AAPCS64 (Linux) */
#define REG_INT 8
#define REG_FLOAT 8
#define REG_STACK_WORDS 0
#else
#define REG_INT 0
#define REG_FLOAT 0
#define REG_STACK_WORDS 0
#endif
#define REG_COUNT (REG_INT + REG_FLOAT)
#define REG_SOURCES (REG_COUNT + REG_STACK_WORDS)

/* The register path also assumes little-endian slots (values at their slot's start). */
#if REG_INT && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define REG_PATH 1
#else
#define REG_PATH 0
#endif

#endif
