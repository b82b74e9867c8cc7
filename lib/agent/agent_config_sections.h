/* lib/agent/agent_config_sections.h: the sections of a configuration document, read by
 * lib/agent/agent_config.c for lib/agent/agent_config_document.c; private to them. Each
 * takes the section's token (-1 when absent), records its problems (cfg_fail) and
 * returns false when it has any. */
#ifndef FD_AGENT_CONFIG_SECTIONS_H
#define FD_AGENT_CONFIG_SECTIONS_H
#include <stdbool.h>

#include "agent/agent_config_reader.h"

bool cfg_parse_address(struct parser *p, int obj);
bool cfg_parse_hours(struct parser *p, int obj);
bool cfg_parse_closures(struct parser *p, int arr);
bool cfg_parse_services(struct parser *p, int arr);
bool cfg_parse_faq(struct parser *p, int arr);
bool cfg_parse_policies(struct parser *p, int obj);
/* is_services_read: services passed, so an enabled booking without one is refused
 * (otherwise that is left unsaid: the services' own problems come first). */
bool cfg_parse_booking(struct parser *p, int obj, bool is_services_read);
bool cfg_parse_escalation(struct parser *p, int obj);
/* is_booking_read: booking passed, so "booking_only" can be checked against it. */
bool cfg_parse_after_hours(struct parser *p, int obj, bool is_booking_read);
bool cfg_parse_notifications(struct parser *p, int obj);
bool cfg_parse_sms(struct parser *p, int obj);

#endif
