/* math_operations.c: the C side of seed 002's thread example ("Ctypes in a
 * Multi-threaded Python Environment"), for examples/threads/main.mjs.
 * Both functions only touch their arguments, so any number of threads may
 * call them at once. */

/* Simple function to square a number */
int square(int num) {
    return num * num;
}

/* Function to add two numbers */
int safe_add(int a, int b) {
    return a + b;
}
