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
void route_users_update(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out);
void route_users_delete(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out);

/* ---- the business's data ---- */

/* route_calls.c: the business's calls. */
void route_calls_list(PGconn *conn, const struct web_request *req,
                      const struct web_session *session, struct web_result *out);
void route_call_show(PGconn *conn, const struct web_request *req,
                     const struct web_session *session, struct web_result *out);

/* route_records.c: bookings, messages, leads and upsells. */
void route_bookings_list(PGconn *conn, const struct web_request *req,
                         const struct web_session *session, struct web_result *out);
void route_messages_list(PGconn *conn, const struct web_request *req,
                         const struct web_session *session, struct web_result *out);
void route_message_handled(PGconn *conn, const struct web_request *req,
                           const struct web_session *session, struct web_result *out);
/* route_sms.c */
void route_sms_threads_list(PGconn *conn, const struct web_request *req, const struct web_session *session,
                            struct web_result *out);
void route_sms_thread_show(PGconn *conn, const struct web_request *req, const struct web_session *session,
                           struct web_result *out);
void route_leads_list(PGconn *conn, const struct web_request *req,
                      const struct web_session *session, struct web_result *out);
void route_upsells_list(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out);

/* route_analytics.c: figures per local day and in total. */
void route_analytics(PGconn *conn, const struct web_request *req,
                     const struct web_session *session, struct web_result *out);

/* route_agent.c: the receptionist's configuration and its versions. */
void route_agent_show(PGconn *conn, const struct web_request *req,
                      const struct web_session *session, struct web_result *out);
void route_agent_put(PGconn *conn, const struct web_request *req,
                     const struct web_session *session, struct web_result *out);
void route_agent_versions(PGconn *conn, const struct web_request *req,
                          const struct web_session *session, struct web_result *out);
void route_agent_version_show(PGconn *conn, const struct web_request *req,
                              const struct web_session *session, struct web_result *out);
void route_agent_activate(PGconn *conn, const struct web_request *req,
                          const struct web_session *session, struct web_result *out);

/* route_agent_try.c: the receptionist answering from a draft, nothing saved. */
void route_agent_try(PGconn *conn, const struct web_request *req,
                     const struct web_session *session, struct web_result *out);

/* route_numbers.c: the business's numbers and its requests for another. */
void route_numbers_list(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out);
void route_numbers_request(PGconn *conn, const struct web_request *req,
                           const struct web_session *session, struct web_result *out);

/* route_openapi.c: the API's own OpenAPI document. */
void route_openapi(PGconn *conn, const struct web_request *req,
                   const struct web_session *session, struct web_result *out);

/* route_booking_cancel.c: a booking the business cancels, through its owning worker. */
void route_booking_cancel(PGconn *conn, const struct web_request *req,
                          const struct web_session *session, struct web_result *out);

/* route_billing.c: the business's billing, and the Stripe pages where its owner pays. */
void route_billing_show(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out);
void route_billing_checkout(PGconn *conn, const struct web_request *req,
                            const struct web_session *session, struct web_result *out);
void route_billing_portal(PGconn *conn, const struct web_request *req,
                          const struct web_session *session, struct web_result *out);

#endif
