/*
 * arrays.c: vector functions of the libmymath.so example library.
 * Every array has n elements; the caller owns all memory.
 */

/* out[i] = a[i] + b[i] */
void add_int_array(int *a, int *b, int *out, int n) {
  for (int i = 0; i < n; i++) out[i] = a[i] + b[i];
}

void add_float_array(float *a, float *b, float *out, int n) {
  for (int i = 0; i < n; i++) out[i] = a[i] + b[i];
}

/* sum of a[i] * b[i] */
int dot_product(int *a, int *b, int n) {
  int total = 0;
  for (int i = 0; i < n; i++) total += a[i] * b[i];
  return total;
}
