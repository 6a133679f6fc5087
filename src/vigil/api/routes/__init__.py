"""API routes, one module per area. Each handler checks the caller's role, translates the request
into a service call and the result into JSON; no business logic lives here."""
