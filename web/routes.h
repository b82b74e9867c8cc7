/* web/routes.h: the handlers of the route table (web/routes.c), one file per group. */
#ifndef FD_WEB_ROUTES_H
#define FD_WEB_ROUTES_H
#include "handler.h"

/* route_accounts.c: signing up, in and out. */
void route_signup(PGconn *conn, const struct web_request *req, const struct web_session *session,
                  struct web_result *out);
void route_login(PGconn *conn, const struct web_request *req, const struct web_session *session,
                 struct web_result *out);
void route_logout(PGconn *conn, const struct web_request *req, const struct web_session *session,
                  struct web_result *out);

/* route_users.c: who I am, my password, the business's users. */
void route_me(PGconn *conn, const struct web_request *req, const struct web_session *session,
              struct web_result *out);
void route_me_password(PGconn *conn, const struct web_request *req,
                       const struct web_session *session, struct web_result *out);
void route_users_list(PGconn *conn, const struct web_request *req,
                      const struct web_session *session, struct web_result *out);
void route_users_create(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out);
void route_users_delete(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out);

/* route_booking_cancel.c: a booking the business cancels, through its owning worker. */
void route_booking_cancel(PGconn *conn, const struct web_request *req,
                          const struct web_session *session, struct web_result *out);

#endif
