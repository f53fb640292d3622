/*
 * lcs.c: the longest common subsequence of two lists of strings.
 *
 * Written for tsctypes' examples/lcs (the C side of the walk-through
 * "Optimizing Python Code with ctypes"); it has the article's interface:
 *
 *   struct Sequence { char **items; int length; };
 *   struct Sequence *lcs(struct Sequence *s1, struct Sequence *s2);
 *   void freeSequence(struct Sequence *seq);
 *
 * lcs() returns a newly allocated Sequence whose items are newly allocated
 * copies of the common strings (the caller's strings are only read), or NULL
 * when an argument is NULL or memory runs out. freeSequence() releases all
 * of it.
 *
 * The dynamic programme fills a (n1 + 1) x (n2 + 1) table of struct Cell.
 * Every cell records the length of the longest common subsequence of the
 * prefixes s1[0..i) and s2[0..j) and a `prev` link to the cell that length
 * came from (the diagonal neighbour after a match, otherwise the neighbour
 * above or to the left). Following `prev` from the last cell walks one
 * longest common subsequence backwards; the cells where the items matched
 * carry the matching item's index in s1 (other cells carry -1).
 *
 * Every malloc() and free() the library does goes through counted_malloc()
 * and counted_free(), and lcs_live_allocations() reports how many blocks are
 * currently allocated, so a test can check that freeSequence() leaves
 * nothing behind.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define LCS_API __attribute__((visibility("default")))
#else
#define LCS_API
#endif

struct Sequence {
    char **items;
    int length;
};

struct Cell {
    int index;         /* the matched item's index in s1, or -1 */
    int length;        /* LCS length of the two prefixes ending here */
    struct Cell *prev; /* where that length came from; NULL on the table's edges */
};

static int live_allocations = 0;

static void *counted_malloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (p != NULL) live_allocations++;
    return p;
}

static void counted_free(void *p) {
    if (p == NULL) return;
    live_allocations--;
    free(p);
}

/* A copy of s in counted memory (NULL stays NULL; *ok = 0 when out of memory). */
static char *copy_string(const char *s, int *ok) {
    if (s == NULL) return NULL;
    size_t n = strlen(s) + 1;
    char *copy = counted_malloc(n);
    if (copy == NULL) {
        *ok = 0;
        return NULL;
    }
    memcpy(copy, s, n);
    return copy;
}

static int same_item(const char *a, const char *b) {
    if (a == NULL || b == NULL) return a == b;
    return strcmp(a, b) == 0;
}

LCS_API int lcs_live_allocations(void) { return live_allocations; }

LCS_API void freeSequence(struct Sequence *seq) {
    if (seq == NULL) return;
    if (seq->items != NULL) {
        for (int k = 0; k < seq->length; k++) counted_free(seq->items[k]);
        counted_free(seq->items);
    }
    counted_free(seq);
}

LCS_API struct Sequence *lcs(struct Sequence *s1, struct Sequence *s2) {
    if (s1 == NULL || s2 == NULL) return NULL;
    size_t n1 = s1->length > 0 ? (size_t)s1->length : 0;
    size_t n2 = s2->length > 0 ? (size_t)s2->length : 0;
    if ((n1 > 0 && s1->items == NULL) || (n2 > 0 && s2->items == NULL)) return NULL;

    size_t rows = n1 + 1, cols = n2 + 1;
    if (cols > SIZE_MAX / sizeof(struct Cell) / rows) return NULL;
    struct Cell *table = counted_malloc(rows * cols * sizeof(struct Cell));
    if (table == NULL) return NULL;
#define CELL(i, j) (&table[(i) * cols + (j)])

    for (size_t i = 0; i < rows; i++) {
        for (size_t j = 0; j < cols; j++) {
            struct Cell *c = CELL(i, j);
            c->index = -1;
            if (i == 0 || j == 0) {
                c->length = 0;
                c->prev = NULL;
            } else if (same_item(s1->items[i - 1], s2->items[j - 1])) {
                c->index = (int)(i - 1);
                c->prev = CELL(i - 1, j - 1);
                c->length = c->prev->length + 1;
            } else {
                struct Cell *up = CELL(i - 1, j), *left = CELL(i, j - 1);
                c->prev = up->length >= left->length ? up : left;
                c->length = c->prev->length;
            }
        }
    }

    struct Cell *last = CELL(n1, n2);
#undef CELL
    int count = last->length;
    int ok = 1;
    struct Sequence *result = counted_malloc(sizeof *result);
    if (result == NULL) {
        counted_free(table);
        return NULL;
    }
    result->length = count;
    result->items = NULL;
    if (count > 0) {
        result->items = counted_malloc((size_t)count * sizeof(char *));
        if (result->items == NULL) {
            counted_free(result);
            counted_free(table);
            return NULL;
        }
        /* Walk the chain backwards, filling the result from its end. */
        int k = count;
        for (struct Cell *c = last; c != NULL && k > 0; c = c->prev) {
            if (c->index >= 0) {
                k--;
                result->items[k] = copy_string(s1->items[c->index], &ok);
            }
        }
        if (!ok) {
            freeSequence(result);
            result = NULL;
        }
    }
    counted_free(table);
    return result;
}
