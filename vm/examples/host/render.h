/* Rendering a delivered message from its content JSON (pm_bundle_message_json, SPEC §6).
 * A real SDK hands the JSON to its platform's parser (JSONSerialization, org.json, JSON.parse)
 * and its UI; this example parses it with a small reader of its own and prints a card. */
#ifndef PM_HOST_RENDER_H
#define PM_HOST_RENDER_H

#include <stdio.h>

/* Prints the message described by `json` as a few indented lines on `out`. Returns 0, or -1
 * (after printing the reason) when the text is not the JSON object SPEC §6 describes. */
int render_message(const char *json, FILE *out);

#endif /* PM_HOST_RENDER_H */
