/* A small JSON reader (RFC 8259 objects, arrays, strings with every escape including
 * surrogate pairs, literals; numbers through strtod, which is more lenient than JSON; nesting
 * bounded) and the card printed for a delivered message. */
#include "render.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } JsonKind;

typedef struct Json Json;
struct Json {
    JsonKind kind;
    int boolean;
    double number;
    char *string; /* JSON_STRING: decoded UTF-8, NUL-terminated */
    size_t count; /* JSON_ARRAY, JSON_OBJECT: number of items */
    char **keys;  /* JSON_OBJECT: one key per item */
    Json *items;  /* JSON_ARRAY, JSON_OBJECT */
};

typedef struct {
    const char *p;
    const char *error; /* the first problem found, or NULL */
    int depth;
} Reader;

enum { MAX_DEPTH = 16 };

static void json_free(Json *v) {
    free(v->string);
    for (size_t i = 0; i < v->count; i++) {
        if (v->keys) free(v->keys[i]);
        json_free(&v->items[i]);
    }
    free(v->keys);
    free(v->items);
    memset(v, 0, sizeof *v);
}

static void skip_space(Reader *r) {
    while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r') r->p++;
}

static int fail(Reader *r, const char *why) {
    if (r->error == NULL) r->error = why;
    return -1;
}

static int hex4(const char *p, uint32_t *out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return -1;
        v = v * 16 + (uint32_t)d;
    }
    *out = v;
    return 0;
}

static char *put_utf8(char *o, uint32_t c) {
    if (c < 0x80) {
        *o++ = (char)c;
    } else if (c < 0x800) {
        *o++ = (char)(0xC0 | (c >> 6));
        *o++ = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *o++ = (char)(0xE0 | (c >> 12));
        *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *o++ = (char)(0x80 | (c & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (c >> 18));
        *o++ = (char)(0x80 | ((c >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *o++ = (char)(0x80 | (c & 0x3F));
    }
    return o;
}

/* Records `why` and gives up on the string being decoded into `buffer`. */
static char *fail_string(Reader *r, char *buffer, const char *why) {
    free(buffer);
    fail(r, why);
    return NULL;
}

/* Reads a string literal at r->p (on its opening quote) into a new buffer. */
static char *read_string(Reader *r) {
    const char *p = ++r->p;
    /* Decoding never lengthens the text, so the literal's length bounds the buffer. */
    size_t bound = 0;
    while (p[bound] != '"') {
        if (p[bound] == '\0') return fail_string(r, NULL, "unterminated string");
        bound += p[bound] == '\\' && p[bound + 1] != '\0' ? 2 : 1;
    }
    char *out = malloc(bound + 1), *o = out;
    if (out == NULL) return fail_string(r, NULL, "out of memory");
    while (*p != '"') {
        unsigned char c = (unsigned char)*p++;
        if (c < 0x20) return fail_string(r, out, "control character in a string");
        if (c != '\\') {
            *o++ = (char)c;
            continue;
        }
        char e = *p++;
        uint32_t code;
        switch (e) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u':
            if (hex4(p, &code) != 0) return fail_string(r, out, "bad \\u escape");
            p += 4;
            if (code >= 0xD800 && code <= 0xDBFF) {
                uint32_t low;
                if (p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &low) != 0 || low < 0xDC00 ||
                    low > 0xDFFF)
                    return fail_string(r, out, "unpaired surrogate");
                p += 6;
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            } else if (code >= 0xDC00 && code <= 0xDFFF) {
                return fail_string(r, out, "unpaired surrogate");
            }
            o = put_utf8(o, code);
            break;
        default: return fail_string(r, out, "bad escape");
        }
    }
    *o = '\0';
    r->p = p + 1;
    return out;
}

static int read_value(Reader *r, Json *v);

/* Reads the items of an array or object (r->p just after its opening bracket). */
static int read_items(Reader *r, Json *v, char close) {
    if (++r->depth > MAX_DEPTH) return fail(r, "nested too deeply");
    skip_space(r);
    if (*r->p == close) {
        r->p++;
        r->depth--;
        return 0;
    }
    for (;;) {
        Json *items = realloc(v->items, (v->count + 1) * sizeof *items);
        if (items == NULL) return fail(r, "out of memory");
        v->items = items;
        memset(&v->items[v->count], 0, sizeof *v->items);
        if (v->kind == JSON_OBJECT) {
            char **keys = realloc(v->keys, (v->count + 1) * sizeof *keys);
            if (keys == NULL) return fail(r, "out of memory");
            v->keys = keys;
            v->keys[v->count] = NULL;
            skip_space(r);
            if (*r->p != '"') return fail(r, "expected a key");
            v->keys[v->count] = read_string(r);
            v->count++;
            if (v->keys[v->count - 1] == NULL) return -1;
            skip_space(r);
            if (*r->p++ != ':') return fail(r, "expected ':'");
        } else {
            v->count++;
        }
        if (read_value(r, &v->items[v->count - 1]) != 0) return -1;
        skip_space(r);
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p++ != close) return fail(r, "expected ',' or a closing bracket");
        r->depth--;
        return 0;
    }
}

static int read_value(Reader *r, Json *v) {
    skip_space(r);
    char c = *r->p;
    if (c == '{' || c == '[') {
        v->kind = c == '{' ? JSON_OBJECT : JSON_ARRAY;
        r->p++;
        return read_items(r, v, c == '{' ? '}' : ']');
    }
    if (c == '"') {
        v->kind = JSON_STRING;
        v->string = read_string(r);
        return v->string ? 0 : -1;
    }
    static const struct { const char *word; JsonKind kind; int boolean; } literals[] = {
        {"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}, {"null", JSON_NULL, 0}};
    for (size_t i = 0; i < sizeof literals / sizeof *literals; i++) {
        size_t n = strlen(literals[i].word);
        if (strncmp(r->p, literals[i].word, n) == 0) {
            v->kind = literals[i].kind;
            v->boolean = literals[i].boolean;
            r->p += n;
            return 0;
        }
    }
    char *end;
    v->kind = JSON_NUMBER;
    v->number = strtod(r->p, &end);
    if (end == r->p) return fail(r, "expected a value");
    r->p = end;
    return 0;
}

/* The member `key` of an object, or NULL. */
static const Json *member(const Json *object, const char *key) {
    if (object == NULL || object->kind != JSON_OBJECT) return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->keys[i], key) == 0) return &object->items[i];
    return NULL;
}

/* The string member `key`, or NULL when absent or not a string. */
static const char *text(const Json *object, const char *key) {
    const Json *v = member(object, key);
    return v && v->kind == JSON_STRING ? v->string : NULL;
}

/* Prints the strings of an array member, comma-separated, or `none` when it is empty. */
static void print_list(FILE *out, const Json *array, const char *none) {
    if (array == NULL || array->count == 0) {
        fputs(none, out);
        return;
    }
    for (size_t i = 0; i < array->count; i++)
        fprintf(out, "%s%s", i ? ", " : "", array->items[i].kind == JSON_STRING ? array->items[i].string : "?");
}

int render_message(const char *json, FILE *out) {
    Reader r = {json, NULL, 0};
    Json root = {0};
    if (read_value(&r, &root) == 0) {
        skip_space(&r);
        if (*r.p != '\0') fail(&r, "text after the value");
    }
    const Json *respond = member(&root, "respond");
    const char *type = text(respond, "type");
    const Json *priority = member(&root, "priority");
    if (r.error == NULL && (!text(&root, "name") || !text(&root, "say") || !type || !priority ||
                            priority->kind != JSON_NUMBER))
        r.error = "not the message object of SPEC 6";
    if (r.error != NULL) {
        fprintf(out, "  (cannot show this message: %s)\n", r.error);
        json_free(&root);
        return -1;
    }
    fprintf(out, "  %s  (brand %s, priority %.0f)\n", text(&root, "name"),
            text(&root, "brand") ? text(&root, "brand") : "?", priority->number);
    fprintf(out, "  says:     %s\n", text(&root, "say"));
    if (strcmp(type, "agent") == 0) {
        fprintf(out, "  on reply: an agent, follow-up \"%s\", asks for ",
                text(respond, "follow_up") ? text(respond, "follow_up") : "");
        print_list(out, member(respond, "collect"), "nothing");
        fputc('\n', out);
    } else {
        const Json *generative = member(respond, "generative");
        fprintf(out, "  on reply: AI agent %s answers \"%s\"%s\n",
                text(respond, "ai_agent") ? text(respond, "ai_agent") : "?",
                text(respond, "answer") ? text(respond, "answer") : "?",
                generative && generative->boolean ? " (generative)" : "");
    }
    fputs("  tags:     ", out);
    print_list(out, member(&root, "tags"), "none");
    fputc('\n', out);
    json_free(&root);
    return 0;
}
