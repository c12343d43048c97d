/*
 * pm_vm.h — C interface of pm-vm, the proactive-message bundle VM and runtime.
 *
 * Hand-written; vm/tests/c_abi.rs checks that every `extern "C"` function of
 * vm/src/ffi.rs is declared here and compiles and runs a C program against it.
 *
 * Safety contract (see vm/src/ffi.rs for the full text):
 *  - Handles come from pm_bundle_load / pm_engine_new and are freed exactly once with
 *    pm_bundle_free / pm_engine_free. NULL handles return PM_ERR_NULL.
 *  - Calls on one engine must not overlap; an engine keeps its bundle alive, so the
 *    bundle handle may be freed while engines use it.
 *  - Strings are NUL-terminated UTF-8 (invalid sequences read as U+FFFD), not retained.
 *  - Error strings and message JSON are freed with pm_string_free; state buffers with
 *    pm_bytes_free.
 *  - No panic crosses the boundary: one is reported as PM_ERR_PANIC, except in the SDK
 *    build (vm/sdk/build.sh), which ends the process at a panic instead (vm/README.md).
 *
 * Times are int64_t milliseconds since the Unix epoch (UTC). Each event call first runs
 * the checks due strictly before `now`, then applies the event; pm_engine_advance_to
 * runs the checks due up to and including `now`. Deliveries are queued and drained with
 * pm_engine_next_delivery.
 *
 * A delivery carries the message's index in the bundle; pm_bundle_message_json gives what to
 * show for it, so keep the PmBundle the engine was created from while deliveries are shown.
 */
#ifndef PM_VM_H
#define PM_VM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PM_OK 0
#define PM_ERR_NULL 1
#define PM_ERR_INVALID 2
#define PM_ERR_PANIC 3
#define PM_ERR_SIGNATURE 4  /* signature required: unsigned, untrusted key or modified */

#define PM_VISIT_UNKNOWN (-1)
#define PM_VISIT_NEW 0
#define PM_VISIT_RETURNING 1

typedef struct PmBundle PmBundle;
typedef struct PmEngine PmEngine;

typedef struct PmDelivery {
    int64_t time;     /* check instant, ms since the Unix epoch */
    uint32_t message; /* message index in the bundle */
} PmDelivery;

/* Loads and verifies a bundle. PM_ERR_INVALID: *error (if error != NULL) gets the reason. */
int32_t pm_bundle_load(const uint8_t *data, size_t len, PmBundle **out, char **error);
/* Like pm_bundle_load, but first requires a valid Ed25519 signature by one of the
 * `key_count` trusted public keys stored one after the other at `keys` (32 bytes each).
 * PM_ERR_SIGNATURE: unsigned, signed by an untrusted key, modified after signing, or
 * key_count == 0. PM_ERR_INVALID: any other problem, including an invalid trusted key.
 * *error (if error != NULL) gets the reason. */
int32_t pm_bundle_load_verified(const uint8_t *data, size_t len, const uint8_t *keys,
                                size_t key_count, PmBundle **out, char **error);
void pm_bundle_free(PmBundle *bundle);

/* Number of messages (0 for NULL); index i in [0, count) is the index deliveries carry. */
uint32_t pm_bundle_message_count(const PmBundle *bundle);
/* The content of message `index` as one JSON object (UTF-8, NUL-terminated; free *out with
 * pm_string_free), keys in this order:
 *   {"name": string, "brand": string, "channel": string, "say": string,
 *    "tags": [string, ...], "priority": integer,
 *    "respond": {"type": "agent", "follow_up": string, "collect": [...]}
 *             | {"type": "ai_agent", "ai_agent": string, "answer": string,
 *                "generative": true|false}}
 * "collect" lists the fields to ask for, from "name" and "email" in that order (empty for
 * collect none). Strings are escaped per RFC 8259 (also U+2028 and U+2029), so any JSON
 * parser reads them back exactly. PM_ERR_INVALID for an index out of range (*out unchanged). */
int32_t pm_bundle_message_json(const PmBundle *bundle, uint32_t index, char **out);

/* Creates an engine for the channel named `channel` (messages of other channels are
 * ignored): no visit yet, automated resolutions available, empty device state. An unknown
 * channel is PM_ERR_INVALID with the reason in *error (if error != NULL). */
int32_t pm_engine_new(const PmBundle *bundle, const char *channel, PmEngine **out, char **error);
void pm_engine_free(PmEngine *engine);

/* The device language tag in any form the platform reports it ("fr-FR", "zh_TW_#Hant",
 * "b+sr+Latn+RS", "iw_IL"), canonicalized once here (docs/embedding.md). */
int32_t pm_engine_set_language(PmEngine *engine, const char *language);

/* The app version ("5.2.1", "5.2.0-beta.1+5210"), parsed once here; NULL unsets it. A version
 * that does not parse fails every app.version comparison but `is not`, as an unset one does.
 * The app build number; pm_engine_clear_app_build unsets it. Each returns PM_OK, or
 * PM_ERR_NULL for a NULL engine. */
int32_t pm_engine_set_app_version(PmEngine *engine, const char *version);
int32_t pm_engine_set_app_build(PmEngine *engine, int64_t build);
int32_t pm_engine_clear_app_build(PmEngine *engine);

/* Events, each at `now`; all return PM_OK, or PM_ERR_NULL for a NULL engine.
 * app_launch starts a visit (ending the current one); visit_history is PM_VISIT_UNKNOWN (new
 * on the device's first visit, returning afterwards), PM_VISIT_NEW or PM_VISIT_RETURNING for
 * this visit only; any other value is PM_ERR_INVALID. screen_open starts a visit when none
 * is in progress and schedules the dwell checks of the messages it triggers (url or title
 * NULL reads as ""). message_opened / message_dismissed name the displayed message (unknown
 * names or another message change nothing). app_quit ends the visit. */
int32_t pm_engine_app_launch(PmEngine *engine, int64_t now, int32_t visit_history);
int32_t pm_engine_screen_open(PmEngine *engine, int64_t now, const char *url, const char *title);
int32_t pm_engine_message_opened(PmEngine *engine, int64_t now, const char *name);
int32_t pm_engine_message_dismissed(PmEngine *engine, int64_t now, const char *name);
int32_t pm_engine_conversation_started(PmEngine *engine, int64_t now);
int32_t pm_engine_conversation_ended(PmEngine *engine, int64_t now);
/* Whether automated (AI) resolutions are available (non-zero: available). */
int32_t pm_engine_set_ai_resolutions(PmEngine *engine, int64_t now, int32_t available);
/* Suppresses proactive messages (non-zero) or ends the suppression (zero), for a payment or
 * onboarding screen: a check that falls due while suppressed delivers nothing and is not
 * retried when the suppression ends. */
int32_t pm_engine_set_suppressed(PmEngine *engine, int64_t now, int32_t suppressed);
int32_t pm_engine_app_quit(PmEngine *engine, int64_t now);
/* Runs the checks due up to and including `now`: call it when a timer set for
 * pm_engine_next_deadline fires. */
int32_t pm_engine_advance_to(PmEngine *engine, int64_t now);

/* 1 and *out = the instant of the earliest pending check, or 0 when none (or NULL). Ask again
 * after every call: events add and cancel checks. */
int32_t pm_engine_next_deadline(const PmEngine *engine, int64_t *out);
/* 1 and *out = oldest queued delivery (removed), or 0 when none (or NULL). The host displays
 * it and later reports message_opened or message_dismissed. */
int32_t pm_engine_next_delivery(PmEngine *engine, PmDelivery *out);
/* Stores in *name and *len the message's UTF-8 name (not NUL-terminated; valid while the
 * engine lives). PM_ERR_INVALID for an index out of range. */
int32_t pm_engine_message_name(const PmEngine *engine, uint32_t index, const uint8_t **name, size_t *len);

/* Device state (visit count, names of the messages shown), to persist between app runs: a
 * new buffer in *out and its length in *len, freed with pm_bytes_free(out, len). It is keyed
 * by message name, so it may be restored into an engine over a newer bundle. */
int32_t pm_engine_save_state(const PmEngine *engine, uint8_t **out, size_t *len);
void pm_bytes_free(uint8_t *data, size_t len);
/* Replaces the device state (not the current visit). Bytes that are not a saved state are
 * PM_ERR_INVALID with the reason in *error, and the engine is unchanged. */
int32_t pm_engine_restore_state(PmEngine *engine, const uint8_t *data, size_t len, char **error);

/* Frees a string from this library: an error message or a message's JSON. NULL is ignored. */
void pm_string_free(char *s);

#ifdef __cplusplus
}
#endif

#endif /* PM_VM_H */
