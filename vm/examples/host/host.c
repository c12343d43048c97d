/* The reference host loop: what an SDK does around the VM, in plain C over pm_vm.h.
 *
 *   host STATE_FILE BUNDLE_FILE [UPDATE_FILE] [--real-time]
 *
 * BUNDLE_FILE is the bundle the app runs (shipped with it, replaced by downloaded updates);
 * STATE_FILE is the device state, kept between runs. The customer's activity is a fixed
 * script (app_activity below) played on the "Bookshop iOS" channel; UPDATE_FILE, when given,
 * is a newer bundle that "arrives from the network" 50 s into the session. Run it twice:
 * the second run restores the state the first one saved and runs the updated bundle.
 *
 * The loop sleeps until the earlier of the next customer action and the engine's next
 * deadline (pm_engine_next_deadline), then feeds the action or advances the engine, and shows
 * each delivery from its content JSON (pm_bundle_message_json). The clock is simulated (each
 * sleep jumps to its instant, so the session takes no time) unless --real-time is given; a
 * real SDK sets a platform timer instead (DispatchSourceTimer, Handler.postDelayed,
 * setTimeout) and re-arms it after every call, since every event may add or cancel checks.
 * See docs/embedding.md for the host's duties. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pm_vm.h"
#include "render.h"

static const char CHANNEL[] = "Bookshop iOS";
static const char LANGUAGE[] = "en-US"; /* a real host reads the device's locale */

/* ---- Clock ---------------------------------------------------------------------------- */

static int real_time = 0;
static int64_t simulated_now = 0;

static int64_t wall_clock_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now_ms(void) { return real_time ? wall_clock_ms() : simulated_now; }

static void sleep_until(int64_t t) {
    if (!real_time) {
        if (t > simulated_now) simulated_now = t;
        return;
    }
    for (int64_t left; (left = t - wall_clock_ms()) > 0;) {
        struct timespec ts = {(time_t)(left / 1000), (long)(left % 1000) * 1000000};
        nanosleep(&ts, NULL);
    }
}

/* ---- Files ---------------------------------------------------------------------------- */

/* The whole file in a new buffer, or NULL (errno set) when it cannot be read. */
static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    uint8_t *data = NULL;
    size_t used = 0, cap = 0, n;
    do {
        if (used == cap) {
            uint8_t *bigger = realloc(data, cap = cap ? cap * 2 : 4096);
            if (bigger == NULL) {
                free(data);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            data = bigger;
        }
        n = fread(data + used, 1, cap - used, f);
        used += n;
    } while (n > 0);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(data);
        errno = EIO;
        return NULL;
    }
    *len = used;
    return data;
}

/* Writes `path` through a temporary file and a rename, so that a crash never leaves a
 * half-written state or bundle behind. Returns 0 on success. */
static int write_file_atomically(const char *path, const uint8_t *data, size_t len) {
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) return -1;
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) return -1;
    int ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

/* ---- The app's view of the VM ------------------------------------------------------- */

typedef struct {
    PmBundle *bundle; /* kept: deliveries are rendered from its message content */
    PmEngine *engine;
    const char *state_path;
    int64_t session_start;
    char screen_url[256], screen_title[256]; /* the current screen, to re-open after an update */
} App;

static double seconds(const App *app, int64_t t) { return (double)(t - app->session_start) / 1000.0; }

/* Loads a bundle and an engine for CHANNEL; on failure prints why and returns -1. */
static int load(const uint8_t *data, size_t len, PmBundle **bundle, PmEngine **engine) {
    char *error = NULL;
    /* Downloaded bundles should be loaded with pm_bundle_load_verified and the keys the app
     * embeds (docs/embedding.md, "Signed bundles"); this example's bundles are unsigned. */
    if (pm_bundle_load(data, len, bundle, &error) != PM_OK) {
        printf("bundle refused: %s\n", error);
        pm_string_free(error);
        return -1;
    }
    if (pm_engine_new(*bundle, CHANNEL, engine, &error) != PM_OK) {
        printf("bundle refused: %s\n", error);
        pm_string_free(error);
        pm_bundle_free(*bundle);
        return -1;
    }
    pm_engine_set_language(*engine, LANGUAGE);
    return 0;
}

/* Saves the device state to STATE_FILE; returns its size, or -1. */
static long save_state(const App *app) {
    uint8_t *state = NULL;
    size_t len = 0;
    if (pm_engine_save_state(app->engine, &state, &len) != PM_OK) return -1;
    int written = write_file_atomically(app->state_path, state, len);
    pm_bytes_free(state, len);
    return written == 0 ? (long)len : -1;
}

/* Restores the device state from STATE_FILE. A missing file is a first run; an unreadable or
 * invalid one is reported and ignored (the device starts afresh rather than not at all). */
static void restore_state(App *app) {
    size_t len = 0;
    uint8_t *state = read_file(app->state_path, &len);
    if (state == NULL) {
        printf("state: none yet (%s)\n", errno == ENOENT ? "first run" : strerror(errno));
        return;
    }
    char *error = NULL;
    if (pm_engine_restore_state(app->engine, state, len, &error) == PM_OK) {
        printf("state: restored %zu bytes\n", len);
    } else {
        printf("state: ignored, %s\n", error);
        pm_string_free(error);
    }
    free(state);
}

/* Shows every queued delivery, and persists the state after it (an app may be killed at any
 * moment, and a once_per_device message must not come back). */
static void show_deliveries(App *app) {
    PmDelivery delivery;
    while (pm_engine_next_delivery(app->engine, &delivery) == 1) {
        char *json = NULL;
        printf("[%6.1fs] show:\n", seconds(app, delivery.time));
        if (pm_bundle_message_json(app->bundle, delivery.message, &json) == PM_OK) {
            render_message(json, stdout);
            pm_string_free(json);
        }
        if (save_state(app) < 0) printf("state: could not be saved to %s\n", app->state_path);
    }
}

/* A newer bundle arrived while the app runs: switch to it, keeping the device state.
 *
 * Today the C ABI does this with a new engine restoring the old one's saved state, which
 * carries over by message name (visits, messages shown). The current visit does not carry
 * over: the new engine starts a visit of its own (one more visit in the count; once_per_visit
 * starts afresh; the displayed message is forgotten) and the current screen is re-opened, so
 * its dwell checks start again. pm_engine_replace_bundle (SPEC §6, bundle updates) will
 * replace all of this with one call that also keeps the visit, screen, conversation, displayed
 * message and pending checks. */
static void apply_update(App *app, const char *update_path, const char *bundle_path) {
    int64_t now = now_ms();
    size_t len = 0;
    uint8_t *data = read_file(update_path, &len);
    if (data == NULL) {
        printf("[%6.1fs] update: cannot read %s: %s\n", seconds(app, now), update_path,
               strerror(errno));
        return;
    }
    PmBundle *bundle;
    PmEngine *engine;
    printf("[%6.1fs] update: ", seconds(app, now));
    if (load(data, len, &bundle, &engine) != 0) {
        free(data); /* keep running the current bundle */
        return;
    }
    uint8_t *state = NULL;
    size_t state_len = 0;
    char *error = NULL;
    if (pm_engine_save_state(app->engine, &state, &state_len) != PM_OK ||
        pm_engine_restore_state(engine, state, state_len, &error) != PM_OK) {
        printf("state did not carry over: %s\n", error ? error : "save failed");
        pm_string_free(error);
    }
    pm_bytes_free(state, state_len);
    /* The next launch starts with the update. */
    int cached = write_file_atomically(bundle_path, data, len);
    free(data);
    printf("%u messages (was %u), state carried over%s\n", pm_bundle_message_count(bundle),
           pm_bundle_message_count(app->bundle), cached == 0 ? "" : "; not cached");
    pm_engine_free(app->engine);
    pm_bundle_free(app->bundle);
    app->engine = engine;
    app->bundle = bundle;
    pm_engine_app_launch(engine, now, PM_VISIT_UNKNOWN);
    if (app->screen_url[0] != '\0')
        pm_engine_screen_open(engine, now, app->screen_url, app->screen_title);
}

/* ---- The customer's activity --------------------------------------------------------- */

typedef enum { LAUNCH, SCREEN, OPENED, DISMISSED, UPDATE_ARRIVES, QUIT } Action;

typedef struct {
    int64_t at_ms; /* since the session started */
    Action action;
    const char *a, *b; /* SCREEN: url, title; OPENED / DISMISSED: the message's name */
} Step;

static const Step app_activity[] = {
    {0, LAUNCH, NULL, NULL},
    {1000, SCREEN, "home", "Home"},
    {8000, DISMISSED, "Welcome", NULL},
    {10000, SCREEN, "https://books.example/search?q=dune", "Search"},
    {22000, DISMISSED, "Book finder", NULL},
    {24000, SCREEN, "https://books.example/checkout", "Checkout"},
    {46000, OPENED, "Checkout help", NULL},
    {48000, SCREEN, "home", "Home"},
    {50000, UPDATE_ARRIVES, NULL, NULL},
    /* Book finder is once_per_device: after the update, and in later runs, it stays away. */
    {52000, SCREEN, "https://books.example/search?q=emma", "Search"},
    {64000, SCREEN, "https://books.example/gifts", "Gift cards"},
    {69000, DISMISSED, "Gift cards", NULL},
    {70000, QUIT, NULL, NULL},
};

static void perform(App *app, const Step *step, const char *update_path, const char *bundle_path) {
    int64_t now = now_ms();
    switch (step->action) {
    case LAUNCH:
        printf("[%6.1fs] app launch\n", seconds(app, now));
        pm_engine_app_launch(app->engine, now, PM_VISIT_UNKNOWN);
        break;
    case SCREEN:
        printf("[%6.1fs] screen %s\n", seconds(app, now), step->a);
        snprintf(app->screen_url, sizeof app->screen_url, "%s", step->a);
        snprintf(app->screen_title, sizeof app->screen_title, "%s", step->b);
        pm_engine_screen_open(app->engine, now, step->a, step->b);
        break;
    case OPENED:
    case DISMISSED:
        printf("[%6.1fs] %s %s\n", seconds(app, now),
               step->action == OPENED ? "opened" : "dismissed", step->a);
        (step->action == OPENED ? pm_engine_message_opened
                                : pm_engine_message_dismissed)(app->engine, now, step->a);
        break;
    case UPDATE_ARRIVES:
        if (update_path != NULL) apply_update(app, update_path, bundle_path);
        break;
    case QUIT: {
        printf("[%6.1fs] app quit\n", seconds(app, now));
        pm_engine_app_quit(app->engine, now);
        long saved = save_state(app);
        if (saved >= 0)
            printf("state: saved %ld bytes\n", saved);
        else
            printf("state: could not be saved to %s\n", app->state_path);
        break;
    }
    }
}

int main(int argc, char **argv) {
    const char *paths[3] = {NULL, NULL, NULL};
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--real-time") == 0)
            real_time = 1;
        else if (n < 3)
            paths[n++] = argv[i];
        else
            n = 4;
    }
    if (n < 2 || n > 3) {
        fprintf(stderr, "usage: host STATE_FILE BUNDLE_FILE [UPDATE_FILE] [--real-time]\n");
        return 2;
    }
    const char *state_path = paths[0], *bundle_path = paths[1], *update_path = paths[2];

    App app = {0};
    app.state_path = state_path;
    size_t len = 0;
    uint8_t *data = read_file(bundle_path, &len);
    if (data == NULL) {
        fprintf(stderr, "host: cannot read %s: %s\n", bundle_path, strerror(errno));
        return 1;
    }
    int loaded = load(data, len, &app.bundle, &app.engine);
    free(data);
    if (loaded != 0) return 1;
    printf("bundle: %u messages\n", pm_bundle_message_count(app.bundle));
    restore_state(&app);

    simulated_now = wall_clock_ms();
    app.session_start = now_ms();
    const size_t steps = sizeof app_activity / sizeof *app_activity;
    size_t next = 0;
    for (;;) {
        int64_t deadline;
        int timer = pm_engine_next_deadline(app.engine, &deadline);
        if (!timer && next == steps) break;
        int64_t action_at = next < steps ? app.session_start + app_activity[next].at_ms : INT64_MAX;
        if (timer && deadline < action_at) {
            /* The timer fires. (An action at the very same instant goes first: the engine
             * applies events before the checks due at their instant.) */
            sleep_until(deadline);
            pm_engine_advance_to(app.engine, now_ms());
        } else {
            sleep_until(action_at);
            perform(&app, &app_activity[next++], update_path, bundle_path);
        }
        show_deliveries(&app);
    }
    pm_engine_free(app.engine);
    pm_bundle_free(app.bundle);
    return 0;
}
