// Conditions shared by every file of the bundle.

condition pricing_pages = visitor.page_url contains ["pricing", "plans"]

condition french_or_german = device.language is ["fr", "de"]

condition returning_visitor = visitor.visit_history is returning

// A named condition may use other named conditions.
condition engaged_shopper = returning_visitor
    and visitor.page_url contains "/cart"
