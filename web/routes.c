/* web/routes.c: every route of frontdesk-web: method, path, who may call it, its
 * handler, and for public routes the rate limit that guards them (see handler.h and
 * web/README.md). A new route is a row here and a handler in a route_*.c file. */
#include "routes.h"
#include "web.h"

const struct web_route web_routes[] = {
    {WEB_POST, "/api/v1/signup", WEB_PUBLIC, route_signup, WEB_GATE_ADDRESS, 0},
    {WEB_POST, "/api/v1/login", WEB_PUBLIC, route_login, WEB_GATE_LOGIN, 0},
    {WEB_POST, "/api/v1/logout", WEB_SIGNED_IN, route_logout, 0, 0},
    {WEB_GET, "/api/v1/me", WEB_SIGNED_IN, route_me, 0, 0},
    {WEB_POST, "/api/v1/me/password", WEB_SIGNED_IN, route_me_password, 0, 0},
    {WEB_GET, "/api/v1/users", WEB_SIGNED_IN, route_users_list, 0, 0},
    {WEB_POST, "/api/v1/users", WEB_OWNER, route_users_create, 0, 0},
    {WEB_PATCH, "/api/v1/users/{id}", WEB_OWNER, route_users_update, 0, 0},
    {WEB_DELETE, "/api/v1/users/{id}", WEB_OWNER, route_users_delete, 0, 0},

    /* ---- the business's data: its calls and records, analytics, receptionist ---- */
    {WEB_GET, "/api/v1/calls", WEB_SIGNED_IN, route_calls_list, 0, 0},
    {WEB_GET, "/api/v1/calls/{id}", WEB_SIGNED_IN, route_call_show, 0, 0},
    {WEB_GET, "/api/v1/bookings", WEB_SIGNED_IN, route_bookings_list, 0, 0},
    {WEB_GET, "/api/v1/messages", WEB_SIGNED_IN, route_messages_list, 0, 0},
    {WEB_GET, "/api/v1/leads", WEB_SIGNED_IN, route_leads_list, 0, 0},
    {WEB_GET, "/api/v1/upsells", WEB_SIGNED_IN, route_upsells_list, 0, 0},
    {WEB_GET, "/api/v1/sms/threads", WEB_SIGNED_IN, route_sms_threads_list, 0, 0},
    {WEB_GET, "/api/v1/sms/threads/{number}", WEB_SIGNED_IN, route_sms_thread_show, 0, 0},
    {WEB_GET, "/api/v1/analytics", WEB_SIGNED_IN, route_analytics, 0, 0},
    {WEB_GET, "/api/v1/agent", WEB_SIGNED_IN, route_agent_show, 0, 0},
    {WEB_PUT, "/api/v1/agent", WEB_OWNER, route_agent_put, 0, WEB_BODY_LIMIT},
    {WEB_GET, "/api/v1/agent/versions", WEB_SIGNED_IN, route_agent_versions, 0, 0},
    {WEB_GET, "/api/v1/agent/versions/{n}", WEB_SIGNED_IN, route_agent_version_show, 0, 0},
    {WEB_POST, "/api/v1/agent/versions/{n}/activate", WEB_OWNER, route_agent_activate, 0, 0},
    {WEB_POST, "/api/v1/agent/try", WEB_SIGNED_IN, route_agent_try, 0, WEB_BODY_LIMIT},
    {WEB_GET, "/api/v1/numbers", WEB_SIGNED_IN, route_numbers_list, 0, 0},
    {WEB_POST, "/api/v1/numbers", WEB_OWNER, route_numbers_request, 0, 0},
    {WEB_GET, "/api/v1/openapi.json", WEB_SIGNED_IN, route_openapi, 0, 0},

    /* bookings the business cancels (owners and staff) */
    {WEB_POST, "/api/v1/bookings/{id}/cancel", WEB_SIGNED_IN, route_booking_cancel, 0, 0},
    /* messages the business has answered (owners and staff) */
    {WEB_POST, "/api/v1/messages/{id}/handled", WEB_SIGNED_IN, route_message_handled, 0, 0},

    /* billing: what the business pays, and Stripe's pages where its owner pays it */
    {WEB_GET, "/api/v1/billing", WEB_SIGNED_IN, route_billing_show, 0, 0},
    {WEB_POST, "/api/v1/billing/checkout", WEB_OWNER, route_billing_checkout, 0, 0},
    {WEB_POST, "/api/v1/billing/portal", WEB_OWNER, route_billing_portal, 0, 0},
};

const size_t web_route_count = sizeof web_routes / sizeof web_routes[0];

_Static_assert(sizeof web_routes / sizeof web_routes[0] <= WEB_ROUTES_MAX,
               "WEB_ROUTES_MAX bounds the metrics slots");
