/* What the story grouping reads of a page, compiled: reader.stories.text's summary, made the
 * same way, bit for bit, at a tenth of the cost.
 *
 * Every imported page is summarised in the import's worker processes; in Python that was half
 * as much work again as parsing the page. The definitions stay in text.py (sentence_sketch,
 * _ascii_terms); this module does what they do, and tests/stories/test_summary_c.py holds the
 * two to each other on the shared corpus, the fixtures and generated text. When it is not built
 * (no compiler), text.py does the work itself.
 *
 *   sketch(data: bytes, k: int) -> bytes
 *       sentence_sketch of a body given as ASCII bytes, or as the UTF-8 of its lower case.
 *   lead_terms(data: bytes) -> (ids: bytes, counts: bytes, flags: bytes)
 *       _ascii_terms of a lead whose word characters are ASCII, packed as summarise_packed
 *       packs it (uint32 and uint16 little-endian, one byte a term).
 *   summarise(body: str, lead_chars: int, k: int) -> 4 bytes | None
 *       text.summarise_packed of a body, all in one call; None if it has a capital beyond
 *       ASCII, or a letter beyond ASCII in its lead (text.py reads those).
 *   configure(skip: list[bytes])
 *       the words that are never terms (text._SKIP_BYTES); call once, before lead_terms.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------ CRC-32 */

/* Slicing-by-8 (Intel's, 2006): eight bytes a step, through eight tables. */
static uint32_t crc_table[8][256];

static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++)
        for (int t = 1; t < 8; t++)
            crc_table[t][n] = (crc_table[t - 1][n] >> 8) ^ crc_table[0][crc_table[t - 1][n] & 0xFF];
}

/* zlib.crc32 */
static uint32_t crc32_of(const unsigned char *p, Py_ssize_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n >= 8) {
        uint32_t one = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                            (uint32_t)p[3] << 24);
        uint32_t two = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
                       (uint32_t)p[7] << 24;
        c = crc_table[7][one & 0xFF] ^ crc_table[6][(one >> 8) & 0xFF] ^
            crc_table[5][(one >> 16) & 0xFF] ^ crc_table[4][one >> 24] ^
            crc_table[3][two & 0xFF] ^ crc_table[2][(two >> 8) & 0xFF] ^
            crc_table[1][(two >> 16) & 0xFF] ^ crc_table[0][two >> 24];
        p += 8;
        n -= 8;
    }
    while (n--) c = crc_table[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static void put_u32(unsigned char *out, uint32_t v) {
    out[0] = v & 0xFF; out[1] = (v >> 8) & 0xFF; out[2] = (v >> 16) & 0xFF; out[3] = v >> 24;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* ---------------------------------------------------------------------------- sketch */

/* Each byte as the sketch reads it: white space a space, capitals small. */
static unsigned char folded[256];

static void folded_init(void) {
    for (int c = 0; c < 256; c++) folded[c] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
    folded['\t'] = folded['\n'] = folded['\r'] = folded[0x0b] = folded[0x0c] = ' ';
}

static PyObject *sketch_of(const unsigned char *src, Py_ssize_t n, Py_ssize_t k) {
    unsigned char *text = PyMem_Malloc(n + 1);
    uint32_t *crcs = PyMem_Malloc(sizeof(uint32_t) * (n / 2 + 2));
    if (!text || !crcs) {
        PyMem_Free(text); PyMem_Free(crcs);
        return PyErr_NoMemory();
    }
    /* White space made spaces, capitals made small, runs of spaces made one, ends trimmed:
     * b" ".join(filter(None, map(bytes.strip, text.split(b"  ")))) of the translated text. */
    /* Without a branch per byte (a space every few bytes defeats the predictor): each byte is
     * written, and the write position moves on unless it is a space after a space (or at the
     * start). One trailing space can be left; it goes. */
    Py_ssize_t m = 0;
    int after_space = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = folded[src[i]];
        int space = c == ' ';
        text[m] = c;
        m += !(space & after_space);
        after_space = space;
    }
    if (m && text[m - 1] == ' ') m--;
    while (m && text[m - 1] == '.') m--; /* .rstrip(b".") */
    /* .split(b". "): the CRC of every piece */
    Py_ssize_t count = 0, start = 0;
    const unsigned char *dot = text, *end = text + m;
    while ((dot = memchr(dot, '.', end - dot)) != NULL && dot + 1 < end) {
        if (dot[1] == ' ') {
            crcs[count++] = crc32_of(text + start, (dot - text) - start);
            start = (dot - text) + 2;
            dot += 2;
        } else {
            dot++;
        }
    }
    crcs[count++] = crc32_of(text + start, m - start);
    qsort(crcs, count, sizeof(uint32_t), cmp_u32);
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < count && kept < k; i++) /* sorted(set(...))[:k] */
        if (i == 0 || crcs[i] != crcs[i - 1]) crcs[kept++] = crcs[i];
    PyObject *result = PyBytes_FromStringAndSize(NULL, kept * 4);
    if (result) {
        unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result);
        for (Py_ssize_t i = 0; i < kept; i++) put_u32(out + 4 * i, crcs[i]);
    }
    PyMem_Free(text);
    PyMem_Free(crcs);
    return result;
}

static PyObject *sketch(PyObject *self, PyObject *args) {
    Py_buffer in;
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "y*n", &in, &k)) return NULL;
    PyObject *result = sketch_of(in.buf, in.len, k);
    PyBuffer_Release(&in);
    return result;
}

/* -------------------------------------------------------------------------- the words */

/* The words never terms (text._SKIP_BYTES), in an open-addressed table of their CRCs. */
#define SKIP_SLOTS 4096
static struct { uint32_t crc; unsigned char len; char word[23]; int used; } skip_table[SKIP_SLOTS];
static int configured = 0;

static int is_skip(const unsigned char *w, Py_ssize_t n, uint32_t crc) {
    if (n > 22) return 0;
    for (uint32_t s = crc & (SKIP_SLOTS - 1);; s = (s + 1) & (SKIP_SLOTS - 1)) {
        if (!skip_table[s].used) return 0;
        if (skip_table[s].crc == crc && skip_table[s].len == n && !memcmp(skip_table[s].word, w, n))
            return 1;
    }
}

static PyObject *configure(PyObject *self, PyObject *args) {
    PyObject *words;
    if (!PyArg_ParseTuple(args, "O", &words)) return NULL;
    PyObject *seq = PySequence_Fast(words, "configure takes a sequence of bytes");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n > SKIP_SLOTS / 2) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "too many words");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) { /* all checked before the table is touched */
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyBytes_Check(item) || PyBytes_GET_SIZE(item) > 22) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_ValueError, "the words are bytes of at most 22 bytes");
            return NULL;
        }
    }
    memset(skip_table, 0, sizeof(skip_table));
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        char *w = PyBytes_AS_STRING(item);
        Py_ssize_t len = PyBytes_GET_SIZE(item);
        uint32_t crc = crc32_of((const unsigned char *)w, len);
        uint32_t s = crc & (SKIP_SLOTS - 1);
        while (skip_table[s].used) s = (s + 1) & (SKIP_SLOTS - 1);
        skip_table[s].used = 1;
        skip_table[s].crc = crc;
        skip_table[s].len = (unsigned char)len;
        memcpy(skip_table[s].word, w, len);
    }
    Py_DECREF(seq);
    configured = 1;
    Py_RETURN_NONE;
}

/* A distinct lower-cased word of the lead (or a stem made by folding a plural). */
typedef struct {
    const unsigned char *word; /* into the lower-cased lead, or into the stems' buffer */
    Py_ssize_t len;
    uint32_t crc;
    long count;      /* occurrences (of the word; of the term, once folded) */
    long capitals;   /* occurrences written with a capital letter */
    int titled;      /* some occurrence is title or upper case (bytes.istitle / isupper) */
    int skip;        /* a stop word, a single letter or digit */
    int name;        /* a name, as a term */
    int term;        /* in the counts (alive) */
    long next_term;  /* the following term, in order of first use; -1 at the end */
} Word;

typedef struct {
    Word *words;
    Py_ssize_t count, size;
    long *slots; /* open addressing: index into words, -1 empty */
    Py_ssize_t nslots;
} Table;

static long find(Table *t, const unsigned char *w, Py_ssize_t n, uint32_t crc) {
    for (Py_ssize_t s = crc & (t->nslots - 1);; s = (s + 1) & (t->nslots - 1)) {
        long i = t->slots[s];
        if (i < 0) return -1 - (long)s; /* absent: where it would go */
        Word *x = &t->words[i];
        if (x->crc == crc && x->len == n && !memcmp(x->word, w, n)) return i;
    }
}

static long add(Table *t, long where, const unsigned char *w, Py_ssize_t n, uint32_t crc) {
    long i = (long)t->count++;
    Word *x = &t->words[i];
    memset(x, 0, sizeof(Word));
    x->word = w; x->len = n; x->crc = crc; x->next_term = -1;
    t->slots[-1 - where] = i;
    return i;
}

static int is_word_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }

/* bytes.istitle() or bytes.isupper() of a word of [A-Za-z0-9_] with at least one capital. */
static int titled(const unsigned char *w, Py_ssize_t n) {
    int lower = 0;
    for (Py_ssize_t i = 0; i < n; i++) lower |= is_lower(w[i]);
    if (!lower) return 1; /* isupper: it has a capital and no small letter */
    int previous_cased = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = w[i];
        if (is_upper(c)) {
            if (previous_cased) return 0;
            previous_cased = 1;
        } else if (is_lower(c)) {
            if (!previous_cased) return 0;
            previous_cased = 1;
        } else {
            previous_cased = 0;
        }
    }
    return 1;
}

/* text.singular of a lower-case ASCII word, into out (room for len + 1); returns its length. */
static Py_ssize_t singular(const unsigned char *w, Py_ssize_t n, unsigned char *out) {
    memcpy(out, w, n);
    if (n <= 3 || w[n - 1] != 's') return n;
#define ENDS(s) (n >= (Py_ssize_t)strlen(s) && !memcmp(w + n - strlen(s), s, strlen(s)))
    if (ENDS("ies") && !ENDS("eies") && !ENDS("aies")) {
        out[n - 3] = 'y';
        return n - 2;
    }
    if (ENDS("es") && !ENDS("aes") && !ENDS("ees") && !ENDS("oes")) return n - 1;
    if (ENDS("us") || ENDS("ss")) return n;
#undef ENDS
    return n - 1;
}

static PyObject *terms_of(const unsigned char *src, Py_ssize_t n) {
    PyObject *result = NULL;
    Table t = {0};
    t.size = n + 4; /* distinct words, and a stem for each */
    t.nslots = 16;
    while (t.nslots < 2 * t.size) t.nslots <<= 1;
    unsigned char *lower = PyMem_Malloc(n + 1);
    unsigned char *stems = PyMem_Malloc(n + n / 2 + 2); /* each stem no longer than its word */
    t.words = PyMem_Malloc(sizeof(Word) * t.size);
    t.slots = PyMem_Malloc(sizeof(long) * t.nslots);
    long *plurals = PyMem_Malloc(sizeof(long) * (n / 2 + 2));
    if (!lower || !stems || !t.words || !t.slots || !plurals) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t s = 0; s < t.nslots; s++) t.slots[s] = -1;
    for (Py_ssize_t i = 0; i < n; i++) lower[i] = is_upper(src[i]) ? src[i] + 32 : src[i];

    /* Count every word (stop words too: a stop word's counts matter as a plural's stem). */
    long first = -1, last = -1; /* the terms, in order of first use */
    for (Py_ssize_t i = 0; i < n;) {
        if (!is_word_char(src[i])) { i++; continue; }
        Py_ssize_t start = i;
        int capital = 0;
        while (i < n && is_word_char(src[i])) capital |= is_upper(src[i++]);
        const unsigned char *w = lower + start;
        Py_ssize_t len = i - start;
        uint32_t crc = crc32_of(w, len);
        long at = find(&t, w, len, crc);
        if (at < 0) {
            at = add(&t, at, w, len, crc);
            Word *x = &t.words[at];
            x->skip = is_skip(w, len, crc);
            if (!x->skip) {
                x->term = 1;
                if (last >= 0) t.words[last].next_term = at; else first = at;
                last = at;
            }
        }
        Word *x = &t.words[at];
        x->count++;
        if (capital) {
            x->capitals++;
            if (!x->titled) x->titled = titled(src + start, len);
        }
    }
    /* Names: written title or upper case, and never otherwise. A stop word is one only when
     * it is the stem of a plural (below). The plurals: terms ending in "s", in order. */
    Py_ssize_t nplurals = 0;
    for (long i = first; i >= 0; i = t.words[i].next_term) {
        Word *x = &t.words[i];
        x->name = x->titled && x->count == x->capitals;
        if (x->word[x->len - 1] == 's') plurals[nplurals++] = i;
    }
    /* Fold each plural into its stem; a stem that is not a term yet is added after every
     * other term. */
    unsigned char *free_stem = stems;
    for (Py_ssize_t j = 0; j < nplurals; j++) {
        Word *p = &t.words[plurals[j]];
        Py_ssize_t len = singular(p->word, p->len, free_stem);
        if (len == p->len) continue;
        uint32_t crc = crc32_of(free_stem, len);
        long at = find(&t, free_stem, len, crc);
        if (at < 0) {
            at = add(&t, at, free_stem, len, crc);
            free_stem += len;
        } else if (!t.words[at].term && t.words[at].skip) {
            Word *s = &t.words[at]; /* "thes": "the" is a name if always capitalised */
            s->name = s->titled && s->count == s->capitals;
        }
        p = &t.words[plurals[j]];
        Word *s = &t.words[at];
        if (!s->term) {
            s->term = 1;
            s->count = 0;
            t.words[last].next_term = at;
            last = at;
        }
        s->count += p->count;
        s->name |= p->name;
        p->term = 0;
    }
    /* Packed as summarise_packed packs them, in order of first use, folded plurals out. */
    Py_ssize_t terms = 0;
    for (long i = first; i >= 0; i = t.words[i].next_term) terms += t.words[i].term;
    PyObject *ids = PyBytes_FromStringAndSize(NULL, 4 * terms);
    PyObject *counts = PyBytes_FromStringAndSize(NULL, 2 * terms);
    PyObject *flags = PyBytes_FromStringAndSize(NULL, terms);
    if (ids && counts && flags) {
        unsigned char *a = (unsigned char *)PyBytes_AS_STRING(ids);
        unsigned char *b = (unsigned char *)PyBytes_AS_STRING(counts);
        unsigned char *c = (unsigned char *)PyBytes_AS_STRING(flags);
        Py_ssize_t j = 0;
        for (long i = first; i >= 0; i = t.words[i].next_term) {
            Word *x = &t.words[i];
            if (!x->term) continue;
            put_u32(a + 4 * j, x->crc >> 1);
            b[2 * j] = x->count & 0xFF;
            b[2 * j + 1] = (x->count >> 8) & 0xFF;
            c[j] = (unsigned char)(x->name != 0);
            j++;
        }
        result = PyTuple_Pack(3, ids, counts, flags);
    }
    Py_XDECREF(ids);
    Py_XDECREF(counts);
    Py_XDECREF(flags);
done:
    PyMem_Free(lower);
    PyMem_Free(stems);
    PyMem_Free(t.words);
    PyMem_Free(t.slots);
    PyMem_Free(plurals);
    return result;
}

static PyObject *lead_terms(PyObject *self, PyObject *args) {
    Py_buffer in;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "y*", &in)) return NULL;
    PyObject *result = terms_of(in.buf, in.len);
    PyBuffer_Release(&in);
    return result;
}

/* The packed summary of a body given as the bytes the sketch and the lead's terms are read
 * from: its sketch, then the terms of its first `lead` bytes. */
static PyObject *summary_of(const unsigned char *text, Py_ssize_t n, const unsigned char *lead,
                            Py_ssize_t lead_len, Py_ssize_t k) {
    PyObject *sketch = sketch_of(text, n, k);
    if (!sketch) return NULL;
    PyObject *terms = terms_of(lead, lead_len);
    if (!terms) { Py_DECREF(sketch); return NULL; }
    PyObject *result = PyTuple_New(4);
    if (result) {
        PyTuple_SET_ITEM(result, 0, sketch);
        for (int i = 0; i < 3; i++) {
            PyObject *item = PyTuple_GET_ITEM(terms, i);
            Py_INCREF(item);
            PyTuple_SET_ITEM(result, i + 1, item);
        }
    } else {
        Py_DECREF(sketch);
    }
    Py_DECREF(terms);
    return result;
}

/* Appends character c to utf8 at m as UTF-8 (a lone surrogate as "surrogatepass" writes it). */
#define PUT_UTF8(c)                                                                         \
    do {                                                                                    \
        if ((c) < 0x800) {                                                                  \
            utf8[m++] = 0xC0 | ((c) >> 6);                                                  \
        } else {                                                                            \
            if ((c) < 0x10000) {                                                            \
                utf8[m++] = 0xE0 | ((c) >> 12);                                             \
            } else {                                                                        \
                utf8[m++] = 0xF0 | ((c) >> 18);                                             \
                utf8[m++] = 0x80 | (((c) >> 12) & 0x3F);                                    \
            }                                                                               \
            utf8[m++] = 0x80 | (((c) >> 6) & 0x3F);                                         \
        }                                                                                   \
        utf8[m++] = 0x80 | ((c) & 0x3F);                                                    \
    } while (0)

/* A body of n characters (one function for each width) as summarise reads it: the
 * UTF-8 of its lower case into utf8, and its first `lead` characters into lead_bytes, one byte
 * each, any beyond ASCII a space. Returns the UTF-8's length, or -1 if Python must read it: a
 * character beyond ASCII with a lower case of its own, or a word character beyond ASCII in the
 * lead. */
#define READABLE(NAME, TYPE)                                                                \
    static Py_ssize_t NAME(const TYPE *chars, Py_ssize_t n, Py_ssize_t lead,                \
                           unsigned char *utf8, unsigned char *lead_bytes) {                \
        Py_ssize_t m = 0;                                                                   \
        for (Py_ssize_t i = 0; i < lead; i++) {                                             \
            Py_UCS4 c = chars[i];                                                           \
            if (c < 0x80) {                                                                 \
                utf8[m++] = lead_bytes[i] = (unsigned char)c;                               \
                continue;                                                                   \
            }                                                                               \
            if (Py_UNICODE_TOLOWER(c) != c || Py_UNICODE_ISALNUM(c)) return -1;             \
            lead_bytes[i] = ' ';                                                            \
            PUT_UTF8(c);                                                                    \
        }                                                                                   \
        for (Py_ssize_t i = lead; i < n; i++) {                                             \
            Py_UCS4 c = chars[i];                                                           \
            if (c < 0x80) {                                                                 \
                utf8[m++] = (unsigned char)c;                                               \
                continue;                                                                   \
            }                                                                               \
            if (Py_UNICODE_TOLOWER(c) != c) return -1;                                      \
            PUT_UTF8(c);                                                                    \
        }                                                                                   \
        return m;                                                                           \
    }
READABLE(readable_1, Py_UCS1)
READABLE(readable_2, Py_UCS2)
READABLE(readable_4, Py_UCS4)

/* The whole packed summary of a body, all in one call: its sketch, then the terms of its lead
 * (text.lead: cut at the last space before lead_chars).
 *
 * An ASCII body is read in place. Any other is read once, into the UTF-8 its sketch is made of
 * and the bytes its lead's terms are read from, when Python would read it the same way: when
 * none of its characters beyond ASCII has a lower case of its own (then body.lower() changes
 * only its ASCII capitals, as the sketch's folding does), and none in its lead is a word
 * character (then text._as_bytes reads the lead as bytes, those characters parting words as a
 * space does). That is typographic punctuation, "£", "€", a ticker's arrows: most scraped news.
 * A body with a capital beyond ASCII, or a lead with a letter beyond it ("café"), gives None,
 * and text.py reads it. */
static PyObject *summarise(PyObject *self, PyObject *args) {
    PyObject *body;
    Py_ssize_t lead_chars, k;
    if (!PyArg_ParseTuple(args, "Unn", &body, &lead_chars, &k)) return NULL;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    int kind = PyUnicode_KIND(body);
    const void *data = PyUnicode_DATA(body);
    Py_ssize_t n = PyUnicode_GET_LENGTH(body), lead = n;
    if (n > lead_chars) {
        Py_ssize_t cut = lead_chars - 1;
        while (cut >= 0 && PyUnicode_READ(kind, data, cut) != ' ') cut--;
        lead = cut > 0 ? cut : lead_chars;
    }
    if (PyUnicode_IS_ASCII(body)) {
        const unsigned char *ascii = PyUnicode_1BYTE_DATA(body);
        return summary_of(ascii, n, ascii, lead, k);
    }
    /* At most 2 bytes of UTF-8 a Latin-1 character, 3 a UCS-2 one, 4 beyond. */
    int widest = kind == PyUnicode_1BYTE_KIND ? 2 : kind == PyUnicode_2BYTE_KIND ? 3 : 4;
    unsigned char *utf8 = PyMem_Malloc(n * widest + 1);
    unsigned char *lead_bytes = PyMem_Malloc(lead + 1);
    if (!utf8 || !lead_bytes) {
        PyMem_Free(utf8); PyMem_Free(lead_bytes);
        return PyErr_NoMemory();
    }
    Py_ssize_t m;
    switch (kind) { /* one loop for each width, so the width is not looked at per character */
    case PyUnicode_1BYTE_KIND:
        m = readable_1(PyUnicode_1BYTE_DATA(body), n, lead, utf8, lead_bytes);
        break;
    case PyUnicode_2BYTE_KIND:
        m = readable_2(PyUnicode_2BYTE_DATA(body), n, lead, utf8, lead_bytes);
        break;
    default:
        m = readable_4(PyUnicode_4BYTE_DATA(body), n, lead, utf8, lead_bytes);
    }
    PyObject *result = Py_None; /* Python reads it */
    if (m < 0)
        Py_INCREF(result);
    else
        result = summary_of(utf8, m, lead_bytes, lead, k);
    PyMem_Free(utf8);
    PyMem_Free(lead_bytes);
    return result;
}

static PyMethodDef methods[] = {
    {"sketch", sketch, METH_VARARGS, "The bottom-k sketch of a body's sentences (text.sentence_sketch)."},
    {"lead_terms", lead_terms, METH_VARARGS, "An ASCII lead's terms, counts and name flags, packed."},
    {"summarise", summarise, METH_VARARGS, "A body's packed summary, or None if text.py must read it."},
    {"configure", configure, METH_VARARGS, "Set the words that are never terms."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_summary", "Page summaries for the story grouping, compiled.", -1,
    methods,
};

PyMODINIT_FUNC PyInit__summary(void) {
    crc_init();
    folded_init();
    return PyModule_Create(&module);
}
