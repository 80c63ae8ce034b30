/* event.c - wire names of event kinds. */
#include "event.h"

#include <string.h>

static const char *const wire_names[DL_EV__COUNT] = {
#define DL_EV_WIRE(name, wire, doc) wire,
    DL_EVENT_KINDS(DL_EV_WIRE)
#undef DL_EV_WIRE
};

const char *dl_event_wire_name(dl_event_kind k)
{
    if ((int)k < 0 || k >= DL_EV__COUNT) return NULL;
    return wire_names[k];
}

int dl_event_kind_from_wire(const char *name)
{
    if (!name) return -1;
    for (int k = 0; k < DL_EV__COUNT; k++)
        if (strcmp(wire_names[k], name) == 0) return k;
    return -1;
}
