/*
 * add_two.c: scalar functions of the "Python and C interaction: Part II - Ctypes"
 * example library (libmymath.so = add_two.c + arrays.c). Build by hand with
 *
 *     cc -shared -fPIC -o build/libmymath.so add_two.c arrays.c
 */

int add_int(int a, int b) {
  return a + b;
}

float add_float(float a, float b) {
  return a + b;
}

/* By reference: *c = *a + *b. Returns 0 (success), like the article's session shows. */
int add_int_ref(int *a, int *b, int *c) {
  *c = *a + *b;
  return 0;
}

int add_float_ref(float *a, float *b, float *c) {
  *c = *a + *b;
  return 0;
}
