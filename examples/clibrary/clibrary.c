/*
 * clibrary.c: the C side of the "Python's ctypes module" walk-through, ported to
 * tsctypes (examples/clibrary/main.mjs). Build by hand with
 *
 *     cc -shared -fPIC -o build/libclibrary.so clibrary.c
 *
 * (main.mjs does this for you when the library is missing or out of date).
 */
#include <stdlib.h>

/* Step 4: the first function called from JavaScript. */
int add_numbers(int a, int b) {
  return a + b;
}

/* Signed vs unsigned: hands back what it got, as an unsigned int. */
unsigned int get_unsigned_value(unsigned int input_val) {
  return input_val;
}

/* Mutable memory: writes through the pointer it is given. */
void modify_value(int *num) {
  *num = 99;
}

/* Returns a malloc'd array holding 1, 2, ..., size (or NULL). The caller frees it with free_array(). */
int *allocate_array(int size) {
  if (size <= 0) return NULL;
  int *values = malloc(sizeof *values * (size_t)size);
  if (values == NULL) return NULL;
  for (int i = 0; i < size; i++) values[i] = i + 1;
  return values;
}

/* Fills the caller's array with 0, 10, 20, 30, 40 and reports how many it wrote. */
void fill_array(int *arr, int *count) {
  int written = 0;
  while (written < 5) {
    arr[written] = written * 10;
    written++;
  }
  *count = written;
}

/* Returns a malloc'd array holding 0, 1, ..., size - 1 (or NULL). */
int *get_array(int size) {
  if (size <= 0) return NULL;
  int *values = malloc(sizeof *values * (size_t)size);
  if (values == NULL) return NULL;
  for (int i = 0; i < size; i++) values[i] = i;
  return values;
}

/* Releases an array made by allocate_array() or get_array(); NULL is ignored. */
void free_array(int *arr) {
  if (arr != NULL) free(arr);
}

/* The thread example's functions: no shared state, so safe to call from any thread. */
int square(int num) {
  return num * num;
}

int safe_add(int a, int b) {
  return a + b;
}
