/* error.c - names and messages for the DL_E* table. */
#include "error.h"

const char *dl_err_name(int err)
{
    switch (err) {
#define DL_ERR_NAME(name, num, msg)                                                                \
    case DL_E##name:                                                                               \
        return "DL_E" #name;
        DL_ERRNO_MAP(DL_ERR_NAME)
#undef DL_ERR_NAME
    }
    return "unknown error";
}

const char *dl_strerror(int err)
{
    switch (err) {
#define DL_ERR_MSG(name, num, msg)                                                                 \
    case DL_E##name:                                                                               \
        return msg;
        DL_ERRNO_MAP(DL_ERR_MSG)
#undef DL_ERR_MSG
    }
    return "unknown error";
}
