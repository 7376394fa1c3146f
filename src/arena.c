/* Bump allocator for memory the SDK hands to the host: allocations live until
 * the next reset, which keeps one chunk so the steady state allocates nothing. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define FALCO__ARENA_MIN_CHUNK 4096u
#define FALCO__ALIGN(n) (((n) + 15u) & ~(size_t)15u)

void *falco__arena_alloc(falco__arena *a, size_t size) {
    size_t need = FALCO__ALIGN(size ? size : 1);
    a->dirty = true;
    if (need < size)
        return NULL; /* overflow */
    falco__arena_chunk *c = a->head;
    if (c && c->size - c->used >= need) {
        void *ptr = c->data + c->used;
        c->used += need;
        return ptr;
    }
    size_t chunk = c ? c->size * 2 : FALCO__ARENA_MIN_CHUNK;
    if (chunk < need)
        chunk = need;
    if (chunk > SIZE_MAX - sizeof(*c))
        return NULL;
    falco__arena_chunk *n = malloc(sizeof(*n) + chunk);
    if (!n)
        return NULL;
    n->next = c;
    n->size = chunk;
    n->used = need;
    a->head = n;
    return n->data;
}

/* Frees a chain of chunks. */
static void free_chunks(falco__arena_chunk *c) {
    while (c) {
        falco__arena_chunk *next = c->next;
        free(c);
        c = next;
    }
}

void falco__arena_reset_slow(falco__arena *a) {
    falco__arena_chunk *c = a->head;
    a->dirty = false;
    if (!c)
        return;
    /* The head is the largest chunk (sizes double): keep it, free the rest. */
    free_chunks(c->next);
    c->next = NULL;
    c->used = 0;
}

void falco__arena_free(falco__arena *a) {
    free_chunks(a->head);
    a->head = NULL;
    a->dirty = false;
}

char *falco__arena_strdup(falco__arena *a, const char *s) {
    size_t n = strlen(s) + 1;
    char *d = falco__arena_alloc(a, n);
    if (d)
        memcpy(d, s, n);
    return d;
}
