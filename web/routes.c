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
    {WEB_DELETE, "/api/v1/users/{id}", WEB_OWNER, route_users_delete, 0, 0},

    /* bookings the business cancels (owners and staff) */
    {WEB_POST, "/api/v1/bookings/{id}/cancel", WEB_SIGNED_IN, route_booking_cancel, 0, 0},
};

const size_t web_route_count = sizeof web_routes / sizeof web_routes[0];

_Static_assert(sizeof web_routes / sizeof web_routes[0] <= WEB_ROUTES_MAX,
               "WEB_ROUTES_MAX bounds the metrics slots");
