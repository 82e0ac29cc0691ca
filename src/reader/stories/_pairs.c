/* Comparing many pairs of signatures at once, compiled: reader.stories.pairs' resemblances,
 * shared_names and cosines in one pass over the pairs, with the same results bit for bit.
 *
 * The grouping compares each new page with up to four candidates; in NumPy every pair's values
 * become codes that are sorted together, a quarter of the grouper's time. Here each pair is a
 * merge of two short sorted lists (sketches, names) and a look-up table of one side's terms.
 * tests/stories/test_pairs.py holds this to the one-pair-at-a-time definition (and to NumPy).
 *
 *   compare(sketches, sketch_bounds, terms, weights, term_bounds, names, name_bounds, a, b, k)
 *       -> (resemblance: bytes of float64, shared names: bytes of int64, cosine: float64)
 *   Arrays are buffers: sketches, terms, names uint32; weights float32; bounds, a, b int64.
 *   Sketches and names are ascending within a signature; terms are distinct.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    Py_buffer sketches, sketch_bounds, terms, weights, term_bounds, names, name_bounds, a, b;
} Inputs;

static int check(Py_buffer *view, Py_ssize_t itemsize, const char *what) {
    if (view->itemsize != itemsize || view->len % itemsize) {
        PyErr_Format(PyExc_ValueError, "%s: items of %zd bytes expected", what, itemsize);
        return 0;
    }
    return 1;
}

/* Estimated Jaccard similarity of two bottom-k sketches (text.resemblance). */
static double resemblance(const uint32_t *x, int64_t nx, const uint32_t *y, int64_t ny, int64_t k) {
    if (nx == 0 || ny == 0) return 0.0;
    int64_t i = 0, j = 0, in_union = 0, in_both = 0;
    while (in_union < k && (i < nx || j < ny)) {
        if (j >= ny || (i < nx && x[i] < y[j])) {
            i++;
        } else if (i >= nx || y[j] < x[i]) {
            j++;
        } else {
            in_both++;
            i++;
            j++;
        }
        in_union++;
    }
    return in_union ? (double)in_both / (double)in_union : 0.0;
}

static int64_t common(const uint32_t *x, int64_t nx, const uint32_t *y, int64_t ny) {
    int64_t i = 0, j = 0, n = 0;
    while (i < nx && j < ny) {
        if (x[i] < y[j]) i++;
        else if (y[j] < x[i]) j++;
        else { n++; i++; j++; }
    }
    return n;
}

#define SLOTS 256 /* a power of two, over twice the terms a signature has (48) */

typedef struct { uint32_t id; double product; } Shared;

/* The cosine of two weighted term lists: the products of the weights of the terms both have,
 * summed in ascending term order (as NumPy's bincount over sorted codes sums them). */
static double cosine(const uint32_t *x, const float *wx, int64_t nx, const uint32_t *y,
                     const float *wy, int64_t ny) {
    if (nx == 0 || ny == 0) return 0.0;
    int32_t table[SLOTS];
    if (nx > SLOTS / 2) return -1.0; /* not a signature: the caller falls back */
    memset(table, -1, sizeof(table));
    for (int64_t i = 0; i < nx; i++) {
        uint32_t s = (x[i] * 2654435761u) & (SLOTS - 1);
        while (table[s] >= 0) s = (s + 1) & (SLOTS - 1);
        table[s] = (int32_t)i;
    }
    Shared found[SLOTS / 2];
    int n = 0;
    for (int64_t j = 0; j < ny; j++) {
        for (uint32_t s = (y[j] * 2654435761u) & (SLOTS - 1); table[s] >= 0;
             s = (s + 1) & (SLOTS - 1)) {
            if (x[table[s]] == y[j]) {
                if (n < SLOTS / 2) {
                    found[n].id = y[j];
                    found[n].product = (double)wx[table[s]] * (double)wy[j];
                    n++;
                }
                break;
            }
        }
    }
    for (int i = 1; i < n; i++) { /* insertion sort: a handful of terms */
        Shared v = found[i];
        int j = i - 1;
        while (j >= 0 && found[j].id > v.id) { found[j + 1] = found[j]; j--; }
        found[j + 1] = v;
    }
    double sum = 0.0;
    for (int i = 0; i < n; i++) sum += found[i].product;
    return sum;
}

static PyObject *compare(PyObject *self, PyObject *args) {
    Inputs in;
    Py_ssize_t k;
    memset(&in, 0, sizeof(in));
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*y*y*y*n", &in.sketches, &in.sketch_bounds, &in.terms,
                          &in.weights, &in.term_bounds, &in.names, &in.name_bounds, &in.a,
                          &in.b, &k))
        return NULL;
    PyObject *result = NULL, *res = NULL, *shared = NULL, *cos = NULL;
    if (!check(&in.sketches, 4, "sketches") || !check(&in.terms, 4, "terms") ||
        !check(&in.weights, 4, "weights") || !check(&in.names, 4, "names") ||
        !check(&in.sketch_bounds, 8, "sketch bounds") || !check(&in.term_bounds, 8, "term bounds") ||
        !check(&in.name_bounds, 8, "name bounds") || !check(&in.a, 8, "a") || !check(&in.b, 8, "b"))
        goto done;
    Py_ssize_t pairs = in.a.len / 8;
    if (in.b.len / 8 != pairs || in.terms.len != in.weights.len) {
        PyErr_SetString(PyExc_ValueError, "a and b, terms and weights: lengths differ");
        goto done;
    }
    const uint32_t *sk = in.sketches.buf, *tm = in.terms.buf, *nm = in.names.buf;
    const float *wt = in.weights.buf;
    const int64_t *sb = in.sketch_bounds.buf, *tb = in.term_bounds.buf, *nb = in.name_bounds.buf;
    const int64_t *a = in.a.buf, *b = in.b.buf;
    int64_t signatures = in.sketch_bounds.len / 8 - 1;
    if (signatures < 0 || in.term_bounds.len / 8 - 1 != signatures ||
        in.name_bounds.len / 8 - 1 != signatures) {
        PyErr_SetString(PyExc_ValueError, "the bounds disagree on the number of signatures");
        goto done;
    }
    res = PyBytes_FromStringAndSize(NULL, pairs * 8);
    shared = PyBytes_FromStringAndSize(NULL, pairs * 8);
    cos = PyBytes_FromStringAndSize(NULL, pairs * 8);
    if (!res || !shared || !cos) goto done;
    double *r = (double *)PyBytes_AS_STRING(res), *c = (double *)PyBytes_AS_STRING(cos);
    int64_t *s = (int64_t *)PyBytes_AS_STRING(shared);
    for (Py_ssize_t p = 0; p < pairs; p++) {
        int64_t x = a[p], y = b[p];
        if (x < 0 || y < 0 || x >= signatures || y >= signatures) {
            PyErr_SetString(PyExc_IndexError, "a pair names a signature that is not there");
            goto done;
        }
        r[p] = resemblance(sk + sb[x], sb[x + 1] - sb[x], sk + sb[y], sb[y + 1] - sb[y], k);
        s[p] = common(nm + nb[x], nb[x + 1] - nb[x], nm + nb[y], nb[y + 1] - nb[y]);
        c[p] = cosine(tm + tb[x], wt + tb[x], tb[x + 1] - tb[x], tm + tb[y], wt + tb[y],
                      tb[y + 1] - tb[y]);
        if (c[p] < 0) {
            PyErr_SetString(PyExc_ValueError, "a signature with too many terms");
            goto done;
        }
    }
    result = PyTuple_Pack(3, res, shared, cos);
done:
    Py_XDECREF(res);
    Py_XDECREF(shared);
    Py_XDECREF(cos);
    Py_buffer *views[] = {&in.sketches, &in.sketch_bounds, &in.terms, &in.weights, &in.term_bounds,
                          &in.names, &in.name_bounds, &in.a, &in.b};
    for (int i = 0; i < 9; i++)
        if (views[i]->obj) PyBuffer_Release(views[i]);
    return result;
}

static PyMethodDef methods[] = {
    {"compare", compare, METH_VARARGS, "Resemblance, shared names and cosine of many pairs."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pairs", "Comparing many pairs of signatures, compiled.", -1, methods,
};

PyMODINIT_FUNC PyInit__pairs(void) { return PyModule_Create(&module); }
