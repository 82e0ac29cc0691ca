/* The candidate index's last step, compiled: from each key's newest pages, each batch page's
 * candidates (reader.stories.index.CandidateIndex.candidates, which does the same in NumPy and
 * is its definition; tests/stories/test_index.py holds the two to each other).
 *
 *   rank(keys, rows, ids, held, stored, cap, limit) -> list of lists of page ids
 *
 * and the index's other loops (merge, see, newest), each described where it is defined.
 *
 * keys (int64, sorted; equal keys in the order of their pages) and rows (int64: the batch page
 * each key belongs to); ids (int64: the batch's pages, in the order they are added); held
 * (int64, one per distinct key, in order: how many stored pages the key gives, at most cap) and
 * stored (int64, cap per distinct key: those pages, newest last, right-aligned, -1 before).
 *
 * For each key of a page, the key's window is its cap newest pages as of just before the page
 * is added: the stored ones, then the batch's earlier pages with the key. The page's
 * candidates are the pages in its keys' windows (not itself), most windows first, then the
 * newest (the largest id), at most limit of them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int check(Py_buffer *view, const char *what) {
    if (view->itemsize != 8 || view->len % 8) {
        PyErr_Format(PyExc_ValueError, "%s: int64 items expected", what);
        return 0;
    }
    return 1;
}

static int descending(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void sort_descending(int64_t *v, Py_ssize_t n) {
    if (n > 48) {
        qsort(v, n, sizeof(int64_t), descending);
        return;
    }
    for (Py_ssize_t i = 1; i < n; i++) {
        int64_t x = v[i];
        Py_ssize_t j = i - 1;
        while (j >= 0 && v[j] < x) { v[j + 1] = v[j]; j--; }
        v[j + 1] = x;
    }
}

static PyObject *rank(PyObject *self, PyObject *args) {
    Py_buffer keys_view, rows_view, ids_view, held_view, stored_view;
    Py_ssize_t cap, limit;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*nn", &keys_view, &rows_view, &ids_view, &held_view,
                          &stored_view, &cap, &limit))
        return NULL;
    PyObject *result = NULL;
    int64_t *window_pages = NULL, *offsets = NULL, *filled = NULL, *count_of = NULL;
    if (!check(&keys_view, "keys") || !check(&rows_view, "rows") || !check(&ids_view, "ids") ||
        !check(&held_view, "held") || !check(&stored_view, "stored"))
        goto done;
    const int64_t *keys = keys_view.buf, *rows = rows_view.buf, *ids = ids_view.buf;
    const int64_t *held = held_view.buf, *stored = stored_view.buf;
    Py_ssize_t n = keys_view.len / 8, pages = ids_view.len / 8;
    Py_ssize_t distinct = held_view.len / 8;
    if (rows_view.len / 8 != n || stored_view.len / 8 != distinct * cap || cap <= 0) {
        PyErr_SetString(PyExc_ValueError, "keys and rows, held and stored: lengths disagree");
        goto done;
    }
    /* Room for each page's windows: cap pages a key. */
    offsets = PyMem_Calloc(pages + 1, sizeof(int64_t));
    filled = PyMem_Calloc(pages + 1, sizeof(int64_t));
    if (!offsets || !filled) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (rows[i] < 0 || rows[i] >= pages) {
            PyErr_SetString(PyExc_IndexError, "a key's row is not a page of the batch");
            goto done;
        }
        offsets[rows[i] + 1] += cap;
    }
    for (Py_ssize_t r = 0; r < pages; r++) offsets[r + 1] += offsets[r];
    window_pages = PyMem_Malloc(sizeof(int64_t) * (offsets[pages] + 1));
    count_of = PyMem_Malloc(sizeof(int64_t) * (offsets[pages] + 1)); /* room for any row's */
    if (!window_pages || !count_of) { PyErr_NoMemory(); goto done; }
    Py_ssize_t u = -1, start = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i == 0 || keys[i] != keys[i - 1]) {
            u++;
            start = i;
        }
        if (u >= distinct) {
            PyErr_SetString(PyExc_ValueError, "more distinct keys than held counts");
            goto done;
        }
        int64_t h = held[u], total = h + (i - start), mine = ids[rows[i]];
        int64_t *out = window_pages + offsets[rows[i]] + filled[rows[i]];
        for (Py_ssize_t c = 0; c < cap; c++) {
            int64_t position = total - cap + c, page;
            if (position < 0) continue;
            if (position < h) page = stored[u * cap + (cap - h + position)];
            else page = ids[rows[start + position - h]];
            if (page < 0 || page == mine) continue;
            *out++ = page;
            filled[rows[i]]++;
        }
    }
    result = PyList_New(pages);
    if (!result) goto done;
    for (Py_ssize_t r = 0; r < pages; r++) {
        int64_t *v = window_pages + offsets[r];
        Py_ssize_t m = filled[r];
        sort_descending(v, m);
        /* Runs of one page, newest first: (page, how many windows), in place. */
        Py_ssize_t runs = 0;
        for (Py_ssize_t j = 0; j < m; j++) {
            if (runs && v[runs - 1] == v[j]) count_of[runs - 1]++;
            else { v[runs] = v[j]; count_of[runs] = 1; runs++; }
        }
        PyObject *found = PyList_New(0);
        if (!found) { Py_CLEAR(result); goto done; }
        for (Py_ssize_t taken = 0; taken < limit && taken < runs; taken++) {
            Py_ssize_t best = -1;
            for (Py_ssize_t j = 0; j < runs; j++) /* most windows; on a tie the newest */
                if (count_of[j] > 0 && (best < 0 || count_of[j] > count_of[best])) best = j;
            if (best < 0) break;
            PyObject *page = PyLong_FromLongLong(v[best]);
            if (!page || PyList_Append(found, page) < 0) {
                Py_XDECREF(page);
                Py_DECREF(found);
                Py_CLEAR(result);
                goto done;
            }
            Py_DECREF(page);
            count_of[best] = 0;
        }
        PyList_SET_ITEM(result, r, found);
    }
done:
    PyMem_Free(window_pages);
    PyMem_Free(count_of);
    PyMem_Free(offsets);
    PyMem_Free(filled);
    Py_buffer *views[] = {&keys_view, &rows_view, &ids_view, &held_view, &stored_view};
    for (int i = 0; i < 5; i++)
        if (views[i]->obj) PyBuffer_Release(views[i]);
    return result;
}

/* A level of the index with new keys added (index._merge): both sorted, a new key after the
 * pages its key already has, new keys in their order. Returns (keys int64, pages int32). */
static PyObject *merge(PyObject *self, PyObject *args) {
    Py_buffer old_keys, old_pages, new_keys, new_pages;
    if (!PyArg_ParseTuple(args, "y*y*y*y*", &old_keys, &old_pages, &new_keys, &new_pages))
        return NULL;
    PyObject *result = NULL, *keys = NULL, *pages = NULL;
    if (old_keys.itemsize != 8 || new_keys.itemsize != 8 || old_pages.itemsize != 4 ||
        new_pages.itemsize != 4 || old_keys.len / 8 != old_pages.len / 4 ||
        new_keys.len / 8 != new_pages.len / 4) {
        PyErr_SetString(PyExc_ValueError, "keys are int64 and pages int32, as many of each");
        goto done;
    }
    Py_ssize_t n = old_keys.len / 8, m = new_keys.len / 8;
    keys = PyBytes_FromStringAndSize(NULL, (n + m) * 8);
    pages = PyBytes_FromStringAndSize(NULL, (n + m) * 4);
    if (!keys || !pages) goto done;
    const int64_t *ok = old_keys.buf, *nk = new_keys.buf;
    const int32_t *op = old_pages.buf, *np_ = new_pages.buf;
    int64_t *k = (int64_t *)PyBytes_AS_STRING(keys);
    int32_t *p = (int32_t *)PyBytes_AS_STRING(pages);
    Py_ssize_t i = 0, j = 0, o = 0;
    while (i < n || j < m) {
        if (j >= m || (i < n && ok[i] <= nk[j])) { k[o] = ok[i]; p[o] = op[i]; i++; }
        else { k[o] = nk[j]; p[o] = np_[j]; j++; }
        o++;
    }
    result = PyTuple_Pack(2, keys, pages);
done:
    Py_XDECREF(keys);
    Py_XDECREF(pages);
    PyBuffer_Release(&old_keys);
    PyBuffer_Release(&old_pages);
    PyBuffer_Release(&new_keys);
    PyBuffer_Release(&new_pages);
    return result;
}

/* The first position at or after lo whose key is not k, in sorted a[0..n): galloping from lo,
 * because most keys have no page or one, and a key every page shares has thousands. */
static Py_ssize_t run_end(const int64_t *a, Py_ssize_t n, Py_ssize_t lo, int64_t k) {
    if (lo >= n || a[lo] != k) return lo;
    Py_ssize_t known = lo, step = 1, hi = lo + 1; /* a[known] == k */
    while (hi < n && a[hi] == k) {
        known = hi;
        step <<= 1;
        hi = lo + step;
    }
    if (hi > n) hi = n;
    lo = known + 1;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (a[mid] == k) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static Py_ssize_t lower_bound(const int64_t *a, Py_ssize_t n, int64_t k) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (a[mid] < k) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* Each key's newest pages in the two levels (index.CandidateIndex._stored): for sorted unique
 * keys, how many pages each gives (at most cap) and those pages, the older level's first,
 * newest last, right-aligned in cap columns, -1 before. One binary search a key and level,
 * where NumPy's searchsorted made two. Returns (held int64[n], pages int64[n * cap]). */
static PyObject *newest(PyObject *self, PyObject *args) {
    Py_buffer big_keys, big_pages, small_keys, small_pages, keys_view;
    Py_ssize_t cap;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*n", &big_keys, &big_pages, &small_keys, &small_pages,
                          &keys_view, &cap))
        return NULL;
    PyObject *result = NULL, *held = NULL, *pages = NULL;
    if (big_keys.itemsize != 8 || small_keys.itemsize != 8 || keys_view.itemsize != 8 ||
        big_pages.itemsize != 4 || small_pages.itemsize != 4 ||
        big_keys.len / 8 != big_pages.len / 4 || small_keys.len / 8 != small_pages.len / 4 ||
        cap < 1) {
        PyErr_SetString(PyExc_ValueError, "keys are int64 and pages int32, as many of each");
        goto done;
    }
    Py_ssize_t nb = big_keys.len / 8, ns = small_keys.len / 8, n = keys_view.len / 8;
    held = PyBytes_FromStringAndSize(NULL, n * 8);
    pages = PyBytes_FromStringAndSize(NULL, n * cap * 8);
    if (!held || !pages) goto done;
    const int64_t *bk = big_keys.buf, *sk = small_keys.buf, *keys = keys_view.buf;
    const int32_t *bp = big_pages.buf, *sp = small_pages.buf;
    int64_t *h = (int64_t *)PyBytes_AS_STRING(held), *p = (int64_t *)PyBytes_AS_STRING(pages);
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t k = keys[i];
        Py_ssize_t lo_big = lower_bound(bk, nb, k), lo_small = lower_bound(sk, ns, k);
        Py_ssize_t in_big = run_end(bk, nb, lo_big, k) - lo_big;
        Py_ssize_t total = in_big + run_end(sk, ns, lo_small, k) - lo_small;
        h[i] = total < cap ? total : cap;
        for (Py_ssize_t c = 0; c < cap; c++) {
            Py_ssize_t at = total - cap + c;
            p[i * cap + c] = at < 0 ? -1 : at < in_big ? bp[lo_big + at]
                                                        : sp[lo_small + at - in_big];
        }
    }
    result = PyTuple_Pack(2, held, pages);
done:
    Py_XDECREF(held);
    Py_XDECREF(pages);
    PyBuffer_Release(&big_keys);
    PyBuffer_Release(&big_pages);
    PyBuffer_Release(&small_keys);
    PyBuffer_Release(&small_pages);
    PyBuffer_Release(&keys_view);
    return result;
}

/* Set the filter's bits of these slots (index.CandidateIndex._see): seen |= 1 << (slot & 7)
 * at byte slot >> 3. The filter is modified in place (a writable uint8 buffer). */
static PyObject *see(PyObject *self, PyObject *args) {
    Py_buffer seen, slots;
    if (!PyArg_ParseTuple(args, "w*y*", &seen, &slots)) return NULL;
    if (slots.itemsize != 8) {
        PyBuffer_Release(&seen);
        PyBuffer_Release(&slots);
        PyErr_SetString(PyExc_ValueError, "slots are uint64");
        return NULL;
    }
    unsigned char *bits = seen.buf;
    const uint64_t *s = slots.buf;
    Py_ssize_t n = slots.len / 8, size = seen.len;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t byte = s[i] >> 3;
        if ((Py_ssize_t)byte < size) bits[byte] |= (unsigned char)(1u << (s[i] & 7));
    }
    PyBuffer_Release(&seen);
    PyBuffer_Release(&slots);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"rank", rank, METH_VARARGS, "Each batch page's candidates from its keys' newest pages."},
    {"merge", merge, METH_VARARGS, "Two sorted levels merged, old keys first among equals."},
    {"see", see, METH_VARARGS, "Set the filter bits of these slots."},
    {"newest", newest, METH_VARARGS, "Each key's newest pages in the two levels."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_index", "The candidate index's ranking, compiled.", -1, methods,
};

PyMODINIT_FUNC PyInit__index(void) { return PyModule_Create(&module); }
