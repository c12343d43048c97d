// Imports the VM through its Clang module (include/module.modulemap) as an iOS app does:
// Swift's `import PmVm` reads the same module. Checked with `clang -fmodules -fsyntax-only`
// by tests/module_map.rs.
@import PmVm;

static int32_t content_of_first_message(const PmBundle *bundle, char **json) {
    if (pm_bundle_message_count(bundle) == 0) return PM_ERR_INVALID;
    return pm_bundle_message_json(bundle, 0, json);
}

int main(void) {
    PmBundle *bundle = NULL;
    PmEngine *engine = NULL;
    PmDelivery delivery = {0, 0};
    char *json = NULL;
    int64_t deadline = 0;
    if (pm_bundle_load(NULL, 0, &bundle, NULL) != PM_OK) return 1;
    if (pm_engine_new(bundle, "Acme iOS", &engine, NULL) != PM_OK) return 1;
    pm_engine_app_launch(engine, 0, PM_VISIT_UNKNOWN);
    while (pm_engine_next_deadline(engine, &deadline)) pm_engine_advance_to(engine, deadline);
    while (pm_engine_next_delivery(engine, &delivery)) {
        if (pm_bundle_message_json(bundle, delivery.message, &json) == PM_OK) pm_string_free(json);
    }
    if (content_of_first_message(bundle, &json) == PM_OK) pm_string_free(json);
    pm_engine_free(engine);
    pm_bundle_free(bundle);
    return 0;
}
