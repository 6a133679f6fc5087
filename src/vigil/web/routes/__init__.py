"""Dashboard routes, one module per area; each handler checks the role (`auth.page`), calls a
service or store function and renders a template. Posts check origin and CSRF (`auth.checked_form`)."""
