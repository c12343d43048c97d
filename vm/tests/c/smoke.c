/* A C program using pm_vm.h the way an SDK would: load, create an engine, feed events,
 * wait for the deadline, drain the delivery, read its content, persist and restore state,
 * free everything.
 * Usage: smoke BUNDLE CHANNEL URL EXPECTED_MESSAGE. Prints what happened; exits non-zero
 * on the first unexpected result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_vm.h"

#define CHECK(cond)                                                     \
    do {                                                                \
        if (!(cond)) {                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,      \
                    __LINE__, #cond);                                   \
            exit(1);                                                    \
        }                                                               \
    } while (0)

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    CHECK(fseek(f, 0, SEEK_END) == 0);
    long size = ftell(f);
    CHECK(size >= 0);
    rewind(f);
    uint8_t *data = malloc((size_t)size + 1);
    CHECK(data != NULL);
    CHECK(fread(data, 1, (size_t)size, f) == (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return data;
}

int main(int argc, char **argv) {
    CHECK(argc == 5);
    const char *channel = argv[2], *url = argv[3], *expected = argv[4];
    const int64_t t0 = 1795424400000; /* 2026-11-23T09:00:00Z, a Monday */

    /* A rejected bundle comes with a reason. */
    char *error = NULL;
    PmBundle *bundle = NULL;
    const uint8_t garbage[] = "PMB\0not a bundle at all";
    CHECK(pm_bundle_load(garbage, sizeof garbage, &bundle, &error) == PM_ERR_INVALID);
    CHECK(error != NULL && strlen(error) > 0);
    printf("rejected garbage: %s\n", error);
    pm_string_free(error);
    error = NULL;

    size_t len = 0;
    uint8_t *data = read_file(argv[1], &len);
    CHECK(pm_bundle_load(data, len, &bundle, &error) == PM_OK);

    PmEngine *engine = NULL;
    CHECK(pm_engine_new(bundle, "No such channel", &engine, &error) == PM_ERR_INVALID);
    printf("rejected channel: %s\n", error);
    pm_string_free(error);
    error = NULL;
    CHECK(pm_engine_new(bundle, channel, &engine, &error) == PM_OK);
    CHECK(pm_engine_new(NULL, channel, &engine, &error) == PM_ERR_NULL);
    /* The engine keeps the bundle alive. */
    pm_bundle_free(bundle);
    bundle = NULL;

    CHECK(pm_engine_set_language(engine, "fr-FR") == PM_OK);
    CHECK(pm_engine_app_launch(engine, t0, PM_VISIT_RETURNING) == PM_OK);
    CHECK(pm_engine_screen_open(engine, t0 + 1000, url, "Pricing") == PM_OK);
    /* Run the dwell checks deadline by deadline, as an SDK's timer would, until a delivery. */
    int64_t deadline = 0;
    PmDelivery delivery;
    int delivered = 0;
    while (!delivered && pm_engine_next_deadline(engine, &deadline) == 1) {
        CHECK(deadline > t0);
        CHECK(pm_engine_advance_to(engine, deadline) == PM_OK);
        delivered = pm_engine_next_delivery(engine, &delivery);
    }
    CHECK(delivered == 1);
    CHECK(delivery.time == deadline);
    const uint8_t *name = NULL;
    size_t name_len = 0;
    CHECK(pm_engine_message_name(engine, delivery.message, &name, &name_len) == PM_OK);
    printf("delivered %.*s at +%llds\n", (int)name_len, (const char *)name,
           (long long)((delivery.time - t0) / 1000));
    CHECK(name_len == strlen(expected) && memcmp(name, expected, name_len) == 0);
    CHECK(pm_engine_next_delivery(engine, &delivery) == 0);
    CHECK(pm_engine_message_name(engine, 100000, &name, &name_len) == PM_ERR_INVALID);

    CHECK(pm_engine_message_dismissed(engine, deadline + 1000, expected) == PM_OK);
    CHECK(pm_engine_conversation_started(engine, deadline + 2000) == PM_OK);
    CHECK(pm_engine_conversation_ended(engine, deadline + 3000) == PM_OK);
    CHECK(pm_engine_set_ai_resolutions(engine, deadline + 4000, 0) == PM_OK);
    CHECK(pm_engine_set_suppressed(engine, deadline + 4100, 1) == PM_OK);
    CHECK(pm_engine_set_suppressed(engine, deadline + 4200, 0) == PM_OK);
    CHECK(pm_engine_set_suppressed(NULL, deadline + 4300, 1) == PM_ERR_NULL);
    CHECK(pm_engine_message_opened(engine, deadline + 5000, "unknown") == PM_OK);
    CHECK(pm_engine_app_quit(engine, deadline + 6000) == PM_OK);
    CHECK(pm_engine_next_deadline(engine, &deadline) == 0);

    /* Device state round-trips into a fresh engine; garbage is refused. */
    uint8_t *state = NULL;
    size_t state_len = 0;
    CHECK(pm_engine_save_state(engine, &state, &state_len) == PM_OK);
    CHECK(state_len > 0);
    CHECK(pm_bundle_load(data, len, &bundle, NULL) == PM_OK);

    /* What to show for the delivery: the message's content as JSON. */
    CHECK(delivery.message < pm_bundle_message_count(bundle));
    char *json = NULL;
    CHECK(pm_bundle_message_json(bundle, delivery.message, &json) == PM_OK);
    printf("content: %s\n", json);
    CHECK(strncmp(json, "{\"name\":\"", 9) == 0);
    CHECK(strncmp(json + 9, expected, strlen(expected)) == 0);
    pm_string_free(json);
    json = NULL;
    CHECK(pm_bundle_message_json(bundle, pm_bundle_message_count(bundle), &json) == PM_ERR_INVALID);
    CHECK(json == NULL);
    CHECK(pm_bundle_message_json(NULL, 0, &json) == PM_ERR_NULL);
    CHECK(pm_bundle_message_json(bundle, 0, NULL) == PM_ERR_NULL);
    CHECK(pm_bundle_message_count(NULL) == 0);

    PmEngine *restored = NULL;
    CHECK(pm_engine_new(bundle, channel, &restored, NULL) == PM_OK);
    CHECK(pm_engine_restore_state(restored, state, state_len, &error) == PM_OK);
    CHECK(pm_engine_restore_state(restored, garbage, sizeof garbage, &error) == PM_ERR_INVALID);
    printf("rejected state: %s\n", error);
    pm_string_free(error);
    printf("state: %zu bytes\n", state_len);

    pm_bytes_free(state, state_len);
    pm_engine_free(restored);
    pm_engine_free(engine);
    pm_bundle_free(bundle);
    pm_engine_free(NULL);
    pm_bundle_free(NULL);
    free(data);
    printf("ok\n");
    return 0;
}
