/* A host written from pm_vm.h and SPEC §6 only: it loads a bundle, creates an engine for a
 * channel, replays a scenario's events as timestamped host calls, fires the engine's
 * deadlines the way a platform timer would, and prints each delivery with the delivered
 * message's content as the JSON of pm_bundle_message_json.
 *
 * Usage: from_header BUNDLE CHANNEL LANGUAGE < SCRIPT
 * SCRIPT has one host call per line, fields separated by tabs, times in ms since the epoch:
 *   T launch unknown|new|returning     T screen URL TITLE     T opened NAME
 *   T dismissed NAME    T conversation_started    T conversation_ended
 *   T ai 0|1            T quit                    T until   (the last line: fire due checks)
 * Output: one line per delivery, "TIME<TAB>JSON". Exit status 1 on any unexpected result. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_vm.h"

static void fail(const char *what, int32_t code) {
    fprintf(stderr, "from_header: %s (code %d)\n", what, (int)code);
    exit(1);
}

static void expect_ok(int32_t code, const char *what) {
    if (code != PM_OK) fail(what, code);
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) fail("cannot open the bundle", 0);
    uint8_t *data = NULL;
    size_t used = 0, cap = 0, n;
    do {
        if (used == cap) {
            cap = cap ? cap * 2 : 4096;
            data = realloc(data, cap);
            if (data == NULL) fail("out of memory", 0);
        }
        n = fread(data + used, 1, cap - used, f);
        used += n;
    } while (n > 0);
    fclose(f);
    *len = used;
    return data;
}

/* Prints every queued delivery with its message's content. */
static void drain(PmEngine *engine, const PmBundle *bundle) {
    PmDelivery delivery;
    while (pm_engine_next_delivery(engine, &delivery) == 1) {
        char *json = NULL;
        expect_ok(pm_bundle_message_json(bundle, delivery.message, &json), "message json");
        printf("%" PRId64 "\t%s\n", delivery.time, json);
        pm_string_free(json);
    }
}

/* Fires the timers due before `now` (or at it, when `inclusive`), earliest first, as a
 * platform timer set from pm_engine_next_deadline would. Events at an instant come before
 * the checks due then, so before an event only earlier deadlines fire. */
static void fire_timers(PmEngine *engine, const PmBundle *bundle, int64_t now, int inclusive) {
    int64_t deadline;
    while (pm_engine_next_deadline(engine, &deadline) == 1 &&
           (deadline < now || (inclusive && deadline == now))) {
        expect_ok(pm_engine_advance_to(engine, deadline), "advance_to");
        drain(engine, bundle);
    }
}

/* The next tab-separated field of *cursor (the rest of the line for the last one). */
static char *field(char **cursor) {
    char *start = *cursor;
    if (start == NULL) fail("missing field", 0);
    char *tab = strchr(start, '\t');
    if (tab != NULL) {
        *tab = '\0';
        *cursor = tab + 1;
    } else {
        *cursor = NULL;
    }
    return start;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: from_header BUNDLE CHANNEL LANGUAGE < SCRIPT\n");
        return 2;
    }
    size_t len = 0;
    uint8_t *data = read_file(argv[1], &len);
    PmBundle *bundle = NULL;
    char *error = NULL;
    int32_t code = pm_bundle_load(data, len, &bundle, &error);
    free(data);
    if (code != PM_OK) {
        fprintf(stderr, "from_header: bundle refused: %s\n", error ? error : "?");
        pm_string_free(error);
        return 1;
    }
    PmEngine *engine = NULL;
    code = pm_engine_new(bundle, argv[2], &engine, &error);
    if (code != PM_OK) {
        fprintf(stderr, "from_header: %s\n", error ? error : "?");
        pm_string_free(error);
        return 1;
    }
    expect_ok(pm_engine_set_language(engine, argv[3]), "set_language");

    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int finished = 0;
    while (!finished && (n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n') line[n - 1] = '\0';
        char *cursor = line;
        int64_t now = strtoll(field(&cursor), NULL, 10);
        const char *call = field(&cursor);
        if (strcmp(call, "until") == 0) {
            fire_timers(engine, bundle, now, 1);
            finished = 1;
            continue;
        }
        fire_timers(engine, bundle, now, 0);
        if (strcmp(call, "launch") == 0) {
            const char *visit = field(&cursor);
            int32_t history = strcmp(visit, "new") == 0         ? PM_VISIT_NEW
                              : strcmp(visit, "returning") == 0 ? PM_VISIT_RETURNING
                                                                : PM_VISIT_UNKNOWN;
            code = pm_engine_app_launch(engine, now, history);
        } else if (strcmp(call, "screen") == 0) {
            const char *url = field(&cursor);
            code = pm_engine_screen_open(engine, now, url, field(&cursor));
        } else if (strcmp(call, "opened") == 0) {
            code = pm_engine_message_opened(engine, now, field(&cursor));
        } else if (strcmp(call, "dismissed") == 0) {
            code = pm_engine_message_dismissed(engine, now, field(&cursor));
        } else if (strcmp(call, "conversation_started") == 0) {
            code = pm_engine_conversation_started(engine, now);
        } else if (strcmp(call, "conversation_ended") == 0) {
            code = pm_engine_conversation_ended(engine, now);
        } else if (strcmp(call, "ai") == 0) {
            code = pm_engine_set_ai_resolutions(engine, now, strcmp(field(&cursor), "1") == 0);
        } else if (strcmp(call, "suppressed") == 0) {
            code = pm_engine_set_suppressed(engine, now, strcmp(field(&cursor), "1") == 0);
        } else if (strcmp(call, "language") == 0) {
            /* Checks due before now have fired above: they saw the old language. */
            code = pm_engine_set_language(engine, field(&cursor));
        } else if (strcmp(call, "version") == 0) {
            code = pm_engine_set_app_version(engine, field(&cursor));
        } else if (strcmp(call, "version_unset") == 0) {
            code = pm_engine_set_app_version(engine, NULL);
        } else if (strcmp(call, "build") == 0) {
            code = pm_engine_set_app_build(engine, strtoll(field(&cursor), NULL, 10));
        } else if (strcmp(call, "build_unset") == 0) {
            code = pm_engine_clear_app_build(engine);
        } else if (strcmp(call, "quit") == 0) {
            code = pm_engine_app_quit(engine, now);
        } else {
            fprintf(stderr, "from_header: unknown call `%s`\n", call);
            return 1;
        }
        expect_ok(code, call);
        drain(engine, bundle);
    }
    free(line);
    if (!finished) fail("the script has no `until` line", 0);
    pm_engine_free(engine);
    pm_bundle_free(bundle);
    return 0;
}
