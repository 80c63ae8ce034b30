/* keys.c - the default key bindings (data) and the action table's text. */
#include <curses.h>

#include "tui/actions.h"

static const dl_action_info infos[DL_ACT__COUNT] = {[DL_ACT_NONE] = {"none", "", "", NULL},
#define DL_ACT_INFO(name, keys, bar, help) [DL_ACT_##name] = {#name, keys, help, bar},
                                                    DL_ACTIONS(DL_ACT_INFO)
#undef DL_ACT_INFO
};

const dl_action_info *dl_action_info_of(dl_action a)
{
    return (a > DL_ACT_NONE && a < DL_ACT__COUNT) ? &infos[a] : &infos[DL_ACT_NONE];
}

static const struct {
    int key;
    dl_action action;
} bindings[] = {
    {KEY_RIGHT, DL_ACT_NEXT},    {'l', DL_ACT_NEXT},
    {KEY_LEFT, DL_ACT_PREV},     {'h', DL_ACT_PREV},
    {'n', DL_ACT_NEXT_CELL},     {'p', DL_ACT_PREV_CELL},
    {'g', DL_ACT_FIRST},         {KEY_HOME, DL_ACT_FIRST},
    {'G', DL_ACT_LAST},          {KEY_END, DL_ACT_LAST},
    {':', DL_ACT_GOTO},          {'[', DL_ACT_PREV_KIND},
    {']', DL_ACT_NEXT_KIND},     {' ', DL_ACT_AUTOPLAY},
    {'+', DL_ACT_FASTER},        {'=', DL_ACT_FASTER},
    {'-', DL_ACT_SLOWER},        {'\t', DL_ACT_FOCUS},
    {KEY_UP, DL_ACT_UP},         {'k', DL_ACT_UP},
    {KEY_DOWN, DL_ACT_DOWN},     {'j', DL_ACT_DOWN},
    {KEY_PPAGE, DL_ACT_PAGE_UP}, {KEY_NPAGE, DL_ACT_PAGE_DOWN},
    {'t', DL_ACT_TWIN},          {'s', DL_ACT_SEMANTICS},
    {'w', DL_ACT_WRITE},         {'e', DL_ACT_EDIT},
    {'r', DL_ACT_RERUN},         {'/', DL_ACT_FILTER},
    {'\n', DL_ACT_OPEN},         {'\r', DL_ACT_OPEN},
    {KEY_ENTER, DL_ACT_OPEN},    {'?', DL_ACT_HELP},
    {'q', DL_ACT_QUIT},          {27, DL_ACT_QUIT},
};

dl_action dl_action_for_key(int key)
{
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
        if (bindings[i].key == key) return bindings[i].action;
    return DL_ACT_NONE;
}
