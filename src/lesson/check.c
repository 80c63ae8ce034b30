/* check.c - the checker: a fresh sandbox per check, assertion helpers first. */
#include "lesson/check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/play.h"
#include "script/script.h"

const uint32_t dl_check_seeds[DL_CHECK_NSEEDS] = {1, 2, 3, 4, 5};

/* The helpers report to the checker through note() events that start with
 * this marker; the checker takes them out of the trace. */
#define MARK          "\001deferlab-check\001"
#define HELPERS_CHUNK "check-helpers"

/* ===================================================================== */
/* The assertion helpers (Lua), one line per string                      */
/* ===================================================================== */

static const char *const prelude_lines[] = {
    "-- The assertion helpers of check blocks (docs/challenges.md). Prepended by\n",
    "-- check.c: local SEED, CHECK_SRC, MARK. Everything the helpers use is\n",
    "-- captured here, so a learner's file that replaces a global cannot break them.\n",
    "local type, tostring, pairs, select, pcall, error = type, tostring, pairs, select, pcall, "
    "error\n",
    "local rawequal, rawget, rawset, setmetatable, next = rawequal, rawget, rawset, setmetatable, "
    "next\n",
    "local mtype, sfmt, concat, sort = math.type, string.format, table.concat, table.sort\n",
    "local note, isinstance, Clock = note, isinstance, Clock\n",
    "local AssertionError, Exception = AssertionError, Exception\n",
    "local G = _G\n",
    "\n",
    "-- Where in the check block the current assertion was called: the innermost\n",
    "-- frame whose chunk is the check block (\"\" when there is none).\n",
    "local function where()\n",
    "  local prefix = CHECK_SRC .. \":\"\n",
    "  for level = 3, 40 do\n",
    "    local _, w = pcall(error, \"\", level)\n",
    "    if type(w) == \"string\" and w:sub(1, #prefix) == prefix then\n",
    "      return w:match(\"^.*:(%d+): $\") or \"\"\n",
    "    end\n",
    "  end\n",
    "  return \"\"\n",
    "end\n",
    "\n",
    "-- The first failure is sent to the checker at once, so an assertion that\n",
    "-- fails inside a callback (whose error becomes a Failure) still fails the check.\n",
    "local function fail(msg)\n",
    "  note(MARK .. \"fail\\1\" .. where() .. \"\\1\" .. msg)\n",
    "  error(AssertionError(msg), 0)\n",
    "end\n",
    "\n",
    "local function is_deferred(v)\n",
    "  if type(v) ~= \"userdata\" then return false end\n",
    "  local ok, c = pcall(function() return v.called end)\n",
    "  return ok and type(c) == \"boolean\"\n",
    "end\n",
    "\n",
    "local function is_failure(v)\n",
    "  return type(v) == \"userdata\" and tostring(v):sub(1, 8) == \"Failure(\"\n",
    "end\n",
    "\n",
    "local escapes = {['\"'] = '\\\\\"', ['\\\\'] = '\\\\\\\\', ['\\n'] = '\\\\n', ['\\t'] = "
    "'\\\\t', ['\\r'] = '\\\\r'}\n",
    "local function quote(s)\n",
    "  return '\"' .. s:gsub('[%c\"\\\\]', function(c) return escapes[c] or sfmt(\"\\\\%d\", "
    "c:byte()) end) .. '\"'\n",
    "end\n",
    "\n",
    "local function key_order(a, b)\n",
    "  local ta, tb = type(a), type(b)\n",
    "  if ta ~= tb then return ta < tb end\n",
    "  if ta == \"number\" or ta == \"string\" then return a < b end\n",
    "  return tostring(a) < tostring(b)\n",
    "end\n",
    "\n",
    "local function sorted_keys(t)\n",
    "  local keys, n = {}, 0\n",
    "  for k in pairs(t) do n = n + 1; keys[n] = k end\n",
    "  sort(keys, key_order)\n",
    "  return keys\n",
    "end\n",
    "\n",
    "local repr\n",
    "local function table_repr(t, depth, seen)\n",
    "  if seen[t] then return \"<cycle>\" end\n",
    "  if depth > 4 then return \"{...}\" end\n",
    "  seen[t] = true\n",
    "  local parts, n = {}, 0\n",
    "  local len = #t\n",
    "  for i = 1, len do n = n + 1; parts[n] = repr(t[i], depth + 1, seen) end\n",
    "  for _, k in pairs(sorted_keys(t)) do\n",
    "    if not (mtype(k) == \"integer\" and k >= 1 and k <= len) then\n",
    "      local ks = type(k) == \"string\" and k:match(\"^[%a_][%w_]*$\") and k or \"[\" .. "
    "repr(k, depth + 1, seen) .. \"]\"\n",
    "      n = n + 1\n",
    "      parts[n] = ks .. \" = \" .. repr(t[k], depth + 1, seen)\n",
    "    end\n",
    "    if n > 24 then parts[n] = \"...\"; break end\n",
    "  end\n",
    "  seen[t] = nil\n",
    "  return \"{\" .. concat(parts, \", \") .. \"}\"\n",
    "end\n",
    "\n",
    "repr = function(v, depth, seen)\n",
    "  local t = type(v)\n",
    "  if t == \"string\" then return quote(v) end\n",
    "  if t == \"table\" then return table_repr(v, depth or 0, seen or {}) end\n",
    "  if t == \"function\" then return \"a function\" end\n",
    "  return tostring(v)\n",
    "end\n",
    "\n",
    "-- Deep equality: tables by content, everything else with ==.\n",
    "local function deep_eq(a, b, seen)\n",
    "  if rawequal(a, b) then return true end\n",
    "  if type(a) ~= \"table\" or type(b) ~= \"table\" then return a == b end\n",
    "  seen = seen or {}\n",
    "  if seen[a] == b then return true end\n",
    "  seen[a] = b\n",
    "  for k, v in pairs(a) do\n",
    "    if not deep_eq(v, b[k], seen) then return false end\n",
    "  end\n",
    "  for k in pairs(b) do\n",
    "    if a[k] == nil then return false end\n",
    "  end\n",
    "  return true\n",
    "end\n",
    "\n",
    "-- The path to the first place two tables differ, with the values there.\n",
    "local function first_difference(a, b, path)\n",
    "  if type(a) ~= \"table\" or type(b) ~= \"table\" then return path, a, b end\n",
    "  for _, k in pairs(sorted_keys(a)) do\n",
    "    if not deep_eq(a[k], b[k]) then\n",
    "      local step = type(k) == \"string\" and k:match(\"^[%a_][%w_]*$\") and \".\" .. k or "
    "\"[\" .. repr(k) .. \"]\"\n",
    "      return first_difference(a[k], b[k], path .. step)\n",
    "    end\n",
    "  end\n",
    "  for _, k in pairs(sorted_keys(b)) do\n",
    "    if a[k] == nil then return path .. \"[\" .. repr(k) .. \"]\", nil, b[k] end\n",
    "  end\n",
    "  return path, a, b\n",
    "end\n",
    "\n",
    "local function label(what, default)\n",
    "  if what == nil then return default end\n",
    "  return tostring(what)\n",
    "end\n",
    "\n",
    "function expect(cond, what)\n",
    "  -- the author's words already say what should hold: use them as they are\n",
    "  if not cond then fail(what ~= nil and tostring(what) or \"an expectation did not hold\") "
    "end\n",
    "end\n",
    "\n",
    "function expect_eq(actual, expected, what)\n",
    "  if deep_eq(actual, expected) then return end\n",
    "  local msg = label(what, \"value\") .. \": expected \" .. repr(expected) .. \", got \" .. "
    "repr(actual)\n",
    "  if type(actual) == \"table\" and type(expected) == \"table\" then\n",
    "    local path, e, a = first_difference(expected, actual, \"\")\n",
    "    if path ~= \"\" then\n",
    "      msg = msg .. \" (first difference at \" .. path .. \": expected \" .. repr(e) .. \", "
    "got \" .. repr(a) .. \")\"\n",
    "    end\n",
    "  end\n",
    "  fail(msg)\n",
    "end\n",
    "\n",
    "local function need_deferred(d, what)\n",
    "  if not is_deferred(d) then\n",
    "    fail(what .. \": expected a Deferred, got \" .. repr(d))\n",
    "  end\n",
    "end\n",
    "\n",
    "function expect_called(d, what)\n",
    "  what = label(what, \"the Deferred\")\n",
    "  need_deferred(d, what)\n",
    "  if not d.called then fail(what .. \": expected it to have fired, but it has not fired "
    "yet\") end\n",
    "end\n",
    "\n",
    "function expect_not_called(d, what)\n",
    "  what = label(what, \"the Deferred\")\n",
    "  need_deferred(d, what)\n",
    "  if d.called then\n",
    "    fail(what .. \": expected it not to have fired yet, but it fired with \" .. "
    "repr(d.result))\n",
    "  end\n",
    "end\n",
    "\n",
    "function expect_result(d, expected, what)\n",
    "  what = label(what, \"the Deferred's result\")\n",
    "  need_deferred(d, what)\n",
    "  if not d.called then\n",
    "    fail(what .. \": expected \" .. repr(expected) .. \", but the Deferred has not fired\")\n",
    "  end\n",
    "  local r = d.result\n",
    "  if is_deferred(r) then\n",
    "    fail(what .. \": expected \" .. repr(expected) .. \", but the Deferred is still waiting "
    "on \" .. tostring(r))\n",
    "  end\n",
    "  if is_failure(r) and not is_failure(expected) then\n",
    "    fail(what .. \": expected \" .. repr(expected) .. \", but the Deferred failed with \" .. "
    "tostring(r))\n",
    "  end\n",
    "  if not deep_eq(r, expected) then\n",
    "    fail(what .. \": expected \" .. repr(expected) .. \", got \" .. repr(r))\n",
    "  end\n",
    "end\n",
    "\n",
    "local function type_name(T)\n",
    "  if T == nil then return \"an error\" end\n",
    "  return tostring(T)\n",
    "end\n",
    "\n",
    "-- Does the error object err match the exception type T (any error when T is nil)?\n",
    "-- A plain Lua error string counts as Exception, as it does inside callbacks.\n",
    "local function error_matches(err, T)\n",
    "  if T == nil then return true end\n",
    "  if type(err) == \"string\" then return rawequal(T, Exception) end\n",
    "  if is_failure(err) then\n",
    "    local ok, r = pcall(function() return err:check(T) end)\n",
    "    return ok and r ~= nil\n",
    "  end\n",
    "  local ok, r = pcall(isinstance, err, T)\n",
    "  return ok and r == true\n",
    "end\n",
    "\n",
    "function expect_failure(d, T, what)\n",
    "  what = label(what, \"the Deferred\")\n",
    "  need_deferred(d, what)\n",
    "  if not d.called then\n",
    "    fail(what .. \": expected a failure with \" .. type_name(T) .. \", but the Deferred has "
    "not fired\")\n",
    "  end\n",
    "  local r = d.result\n",
    "  if not is_failure(r) then\n",
    "    fail(what .. \": expected a failure with \" .. type_name(T) .. \", but it succeeded with "
    "\" .. repr(r))\n",
    "  end\n",
    "  if not error_matches(r, T) then\n",
    "    fail(what .. \": expected a failure with \" .. type_name(T) .. \", got \" .. "
    "tostring(r))\n",
    "  end\n",
    "end\n",
    "\n",
    "function expect_error(fn, T, what)\n",
    "  what = label(what, \"the call\")\n",
    "  local ok, err = pcall(fn)\n",
    "  if ok then fail(what .. \": expected \" .. type_name(T) .. \" to be raised, but it returned "
    "normally\") end\n",
    "  if not error_matches(err, T) then\n",
    "    fail(what .. \": expected \" .. type_name(T) .. \" to be raised, got \" .. repr(err))\n",
    "  end\n",
    "  return err\n",
    "end\n",
    "\n",
    "-- Scenarios: a splitmix64 stream seeded with the run's seed, independent of\n",
    "-- math.random (which the learner's code may use).\n",
    "local state = SEED\n",
    "local function next_u64()\n",
    "  state = state + 0x9E3779B97F4A7C15\n",
    "  local z = state\n",
    "  z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9\n",
    "  z = (z ~ (z >> 27)) * 0x94D049BB133111EB\n",
    "  return z ~ (z >> 31)\n",
    "end\n",
    "\n",
    "local function rand(lo, hi)\n",
    "  if hi == nil then lo, hi = 1, lo end\n",
    "  if hi < lo then error(\"rand: empty range \" .. lo .. \"..\" .. hi, 2) end\n",
    "  return lo + (next_u64() >> 1) % (hi - lo + 1)\n",
    "end\n",
    "\n",
    "function scenario_seed() return SEED end\n",
    "\n",
    "function random_ops(n, ops)\n",
    "  if type(ops) ~= \"table\" or #ops == 0 then error(\"random_ops(n, ops): ops must be a "
    "non-empty list\", 2) end\n",
    "  local out = {}\n",
    "  for i = 1, n do\n",
    "    local op = ops[rand(1, #ops)]\n",
    "    if type(op) == \"function\" then op = op(rand) end\n",
    "    out[i] = op\n",
    "  end\n",
    "  return out\n",
    "end\n",
    "\n",
    "local function log_repr(v)\n",
    "  if type(v) == \"string\" then return v end\n",
    "  if is_deferred(v) then\n",
    "    if not v.called then return \"Deferred(unfired)\" end\n",
    "    local r = v.result\n",
    "    if is_failure(r) then return \"Deferred(failed: \" .. tostring(r.type) .. \")\" end\n",
    "    if is_deferred(r) then return \"Deferred(waiting)\" end\n",
    "    return \"Deferred(\" .. log_repr(r) .. \")\"\n",
    "  end\n",
    "  if is_failure(v) then return \"Failure(\" .. tostring(v.type) .. \")\" end\n",
    "  return repr(v)\n",
    "end\n",
    "\n",
    "local function error_repr(err)\n",
    "  if type(err) == \"string\" then return \"error: \" .. (err:gsub(\"^[^:\\n]*:%d+: \", \"\")) "
    "end\n",
    "  if is_failure(err) then return tostring(err.type) end\n",
    "  if type(err) == \"userdata\" then\n",
    "    local ok, t = pcall(function() return err.type end)\n",
    "    if ok and t ~= nil then return tostring(t) end\n",
    "  end\n",
    "  return repr(err)\n",
    "end\n",
    "\n",
    "local function run_logged(script, impl)\n",
    "  local log = {}\n",
    "  local function logf(...)\n",
    "    local parts = {}\n",
    "    for i = 1, select(\"#\", ...) do parts[i] = log_repr((select(i, ...))) end\n",
    "    log[#log + 1] = concat(parts, \" \")\n",
    "  end\n",
    "  local ok, err = pcall(script, impl, logf, Clock())\n",
    "  if not ok then log[#log + 1] = \"raised \" .. error_repr(err) end\n",
    "  return log\n",
    "end\n",
    "\n",
    "function same_behaviour(mine, builtin_impl, script, what)\n",
    "  what = label(what, \"behaviour\")\n",
    "  if mine == nil then fail(what .. \": your implementation is nil (is it defined as a "
    "global?)\") end\n",
    "  local start = state\n",
    "  local yours = run_logged(script, mine)\n",
    "  state = start\n",
    "  local theirs = run_logged(script, builtin_impl)\n",
    "  for i = 1, (#yours > #theirs and #yours or #theirs) do\n",
    "    if yours[i] ~= theirs[i] then\n",
    "      local before = {}\n",
    "      for k = (i > 3 and i - 3 or 1), i - 1 do before[#before + 1] = \"      \" .. theirs[k] "
    "end\n",
    "      local ctx = #before > 0 and (\"\\n  before it, both logged:\\n\" .. concat(before, "
    "\"\\n\")) or \"\"\n",
    "      fail(sfmt(\"%s: the logs differ at line %d:\\n  built-in: %s\\n  yours:    %s%s\", "
    "what, i,\n",
    "                theirs[i] or \"(nothing more)\", yours[i] or \"(nothing more)\", ctx))\n",
    "    end\n",
    "  end\n",
    "end\n",
    "\n",
    "-- The engine's own implementations, as they were before the learner's file ran.\n",
    "local originals = {}\n",
    "for k, v in pairs(G) do originals[k] = v end\n",
    "builtin = setmetatable({}, {\n",
    "  __index = originals,\n",
    "  __newindex = function() error(\"builtin is read-only\", 2) end,\n",
    "})\n",
    "\n",
    "-- For predict challenges: hand the learner's `answer` to the checker.\n",
    "rawset(G, \"__deferlab_answer\", function()\n",
    "  local a = rawget(G, \"answer\")\n",
    "  if type(a) == \"string\" then note(MARK .. \"answer\\1\\1\" .. a)\n",
    "  else note(MARK .. \"noanswer\\1\\1\" .. type(a)) end\n",
    "end)\n",
};

/* ===================================================================== */
/* Small string buffer                                                   */
/* ===================================================================== */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_addn(sbuf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->oom = true;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_add(sbuf *b, const char *s)
{
    sb_addn(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        sb_addn(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_addn(b, big, (size_t)n);
    free(big);
}

/* The buffer's string (never NULL unless out of memory); the buffer is reset. */
static char *sb_take(sbuf *b)
{
    if (b->oom) {
        free(b->s);
        memset(b, 0, sizeof *b);
        return NULL;
    }
    char *s = b->s ? b->s : strdup("");
    memset(b, 0, sizeof *b);
    return s;
}

/* ===================================================================== */
/* One run: helpers, the learner's file, then a check block              */
/* ===================================================================== */

/* What Lua shows for a chunk named "@name" (luaO_chunkid with the default
 * LUA_IDSIZE of 60): the name, or "..." and its tail when it is long. */
static void short_src(const char *name, char *out, size_t n)
{
    enum { IDSIZE = 60 };
    size_t len = strlen(name);
    if (len <= IDSIZE - 1)
        snprintf(out, n, "%s", name);
    else
        snprintf(out, n, "...%s", name + len - (IDSIZE - 1 - 3));
}

typedef struct run_ctx {
    dl_model *model;
    sbuf output;    /* OUTPUT lines */
    char *fail_msg; /* the first assertion failure */
    int fail_line;  /* its line in the check block, 0 when unknown */
    char *answer;   /* predict: the learner's answer */
    char answer_type[16];
    bool oom;
} run_ctx;

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* A helper's report: "fail\1LINE\1message", "answer\1\1text", "noanswer\1\1type". */
static void helper_report(run_ctx *r, const char *text)
{
    const char *a = strchr(text, '\001');
    const char *b = a ? strchr(a + 1, '\001') : NULL;
    if (!b) return;
    size_t kind = (size_t)(a - text);
    if (kind == 4 && strncmp(text, "fail", 4) == 0) {
        if (r->fail_msg) return; /* the first failure is the one that explains */
        r->fail_line = atoi(a + 1);
        r->fail_msg = strdup(b + 1);
        if (!r->fail_msg) r->oom = true;
    } else if (kind == 6 && strncmp(text, "answer", 6) == 0) {
        free(r->answer);
        r->answer = strdup(b + 1);
        if (!r->answer) r->oom = true;
    } else if (kind == 8 && strncmp(text, "noanswer", 8) == 0) {
        snprintf(r->answer_type, sizeof r->answer_type, "%s", b + 1);
    }
}

static void observe(void *ud, const dl_event *ev)
{
    run_ctx *r = ud;
    if (ev->kind == DL_EV_NOTE && ev->text && strncmp(ev->text, MARK, sizeof MARK - 1) == 0) {
        helper_report(r, ev->text + sizeof MARK - 1);
        return;
    }
    if (ev->kind == DL_EV_OUTPUT && ev->text) {
        if (r->output.len) sb_add(&r->output, "\n");
        sb_add(&r->output, ev->text);
    }
    dl_model_observe(r->model, ev);
}

static void run_ctx_free(run_ctx *r)
{
    dl_model_free(r->model);
    free(r->output.s);
    free(r->fail_msg);
    free(r->answer);
    memset(r, 0, sizeof *r);
}

/* Code padded with newlines so Lua's line numbers are the .md's. */
static char *padded(const char *code, int code_line, size_t *len)
{
    size_t pad = code_line > 1 ? (size_t)code_line - 1 : 0;
    size_t n = strlen(code);
    char *s = malloc(pad + n + 1);
    if (!s) return NULL;
    memset(s, '\n', pad);
    memcpy(s + pad, code, n + 1);
    *len = pad + n;
    return s;
}

static char *helpers_source(uint32_t seed, const char *check_src)
{
    sbuf b = {0};
    /* A long bracket keeps any path intact; its level is chosen to be safe. */
    sb_printf(&b, "local SEED, CHECK_SRC, MARK = %lu, [==[%s]==], \"\\1deferlab-check\\1\"\n",
              (unsigned long)seed, check_src);
    for (size_t i = 0; i < sizeof prelude_lines / sizeof prelude_lines[0]; i++)
        sb_add(&b, prelude_lines[i]);
    return sb_take(&b);
}

typedef struct run_in {
    const dl_challenge *ch;
    const char *name, *src; /* the learner's file */
    size_t len;
    const char *code; /* the block to run after it (padded), or NULL */
    int code_line;
    const char *code_name; /* its chunk name */
    bool with_learner;
    uint32_t seed;
    const dl_check_opts *opts;
} run_in;

typedef enum { STAGE_OK = 0, STAGE_HELPERS, STAGE_LEARNER, STAGE_CODE, STAGE_FINISH } run_stage;

typedef struct run_out {
    run_stage failed_at;
    char error[1024];
    char traceback[2048];
} run_out;

static int run_once(const run_in *in, run_ctx *r, run_out *o)
{
    memset(o, 0, sizeof *o);
    r->model = dl_model_new();
    if (!r->model) return DL_ENOMEM;
    dl_script_opts so;
    dl_script_opts_default(&so);
    if (in->opts && in->opts->budget) so.budget = in->opts->budget;
    if (in->opts && in->opts->memory) so.memory = in->opts->memory;
    so.seed = in->seed;
    dl_script *S = dl_script_new(&so);
    if (!S) return DL_ENOMEM;
    dl_engine *eng = dl_script_engine(S);
    dl_engine_observe(eng, observe, r);
    char check_src[128];
    short_src(in->ch->doc->path, check_src, sizeof check_src);
    char *helpers = helpers_source(in->seed, check_src);
    int rc = 0;
    if (!helpers) {
        rc = DL_ENOMEM;
        goto done;
    }
    if (dl_script_run(S, HELPERS_CHUNK, helpers, strlen(helpers)) != 0) {
        o->failed_at = STAGE_HELPERS;
    } else if (in->with_learner && dl_script_run(S, in->name, in->src, in->len) != 0) {
        o->failed_at = STAGE_LEARNER;
    } else if (in->code) {
        size_t len;
        char *code = padded(in->code, in->code_line, &len);
        if (!code) {
            rc = DL_ENOMEM;
            goto done;
        }
        if (dl_script_run(S, in->code_name, code, len) != 0) o->failed_at = STAGE_CODE;
        free(code);
    }
    if (o->failed_at) {
        snprintf(o->error, sizeof o->error, "%s", dl_script_error(S));
        snprintf(o->traceback, sizeof o->traceback, "%s", dl_script_traceback(S));
    }
    /* Closing the sandbox releases the last references: a limit hit in a
     * finalizer still fails the run. */
    if (dl_script_finish(S) != 0 && !o->failed_at) {
        o->failed_at = STAGE_FINISH;
        snprintf(o->error, sizeof o->error, "%s", dl_script_error(S));
    }
    if (r->oom || r->output.oom || dl_model_error(r->model)) rc = DL_ENOMEM;
done:
    free(helpers);
    dl_script_free(S);
    return rc;
}

/* ===================================================================== */
/* Explaining a failure                                                  */
/* ===================================================================== */

static bool is_budget(const char *err)
{
    return strstr(err, "instruction budget exhausted") != NULL;
}

/* "SRC:N: ..." -> N when err starts with src, else 0. */
static int line_in(const char *err, const char *src)
{
    size_t n = strlen(src);
    if (strncmp(err, src, n) != 0 || err[n] != ':') return 0;
    return atoi(err + n + 1);
}

/* The innermost line of the check block in a traceback, or 0. */
static int traceback_line(const char *tb, const char *src)
{
    char pat[160];
    snprintf(pat, sizeof pat, "\n\t%s:", src);
    const char *p = strstr(tb, pat);
    return p ? atoi(p + strlen(pat)) : 0;
}

static char *explain(const dl_challenge *ch, const char *check_name, int fence_line,
                     const run_ctx *r, const run_out *o)
{
    char src[128];
    short_src(ch->doc->path, src, sizeof src);
    sbuf b = {0};
    const char *path = ch->doc->path;
    const char *limit_hint = " (does a loop never end?)";
    if (o->failed_at == STAGE_HELPERS) {
        sb_printf(&b, "check `%s` (%s:%d): the check helpers failed to load: %s", check_name, path,
                  fence_line, o->error);
    } else if (o->failed_at == STAGE_LEARNER) {
        sb_printf(&b, "check `%s` (%s:%d): your file: %s%s", check_name, path, fence_line, o->error,
                  is_budget(o->error) ? limit_hint : "");
    } else if (r->fail_msg) {
        sb_printf(&b, "check `%s` (%s:%d): %s", check_name, path,
                  r->fail_line > 0 ? r->fail_line : fence_line, r->fail_msg);
    } else {
        const char *err = o->error;
        int line = line_in(err, src);
        if (line > 0) {
            const char *msg = strstr(err, ": ");
            msg = msg ? msg + 2 : err;
            /* The check block's own line: the failure is there. */
            sb_printf(&b, "check `%s` (%s:%d): %s%s", check_name, path, line, msg,
                      is_budget(err) ? limit_hint : "");
        } else {
            line = traceback_line(o->traceback, src);
            sb_printf(&b, "check `%s` (%s:%d): %s%s%s", check_name, path,
                      line > 0 ? line : fence_line,
                      o->failed_at == STAGE_FINISH ? "" : "your code: ", err,
                      is_budget(err) ? limit_hint : "");
        }
    }
    return sb_take(&b);
}

/* ===================================================================== */
/* Predict                                                               */
/* ===================================================================== */

typedef struct lines {
    char **v;
    size_t n;
} lines;

/* The non-blank lines of s, trimmed (as dl_predict_matches sees them). */
static int split_lines(const char *s, lines *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    while (*s) {
        const char *nl = strchr(s, '\n');
        const char *e = nl ? nl : s + strlen(s);
        const char *b = s;
        s = nl ? nl + 1 : e;
        while (b < e && (*b == ' ' || *b == '\t' || *b == '\r'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (b == e) continue;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            char **v = realloc(out->v, cap * sizeof *v);
            if (!v) return DL_ENOMEM;
            out->v = v;
        }
        out->v[out->n] = dup_range(b, (size_t)(e - b));
        if (!out->v[out->n]) return DL_ENOMEM;
        out->n++;
    }
    return 0;
}

static void lines_free(lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static void add_side(sbuf *b, const char *title, const lines *l, size_t first)
{
    sb_printf(b, "\n  %s\n", title);
    for (size_t i = 0; i < l->n; i++)
        sb_printf(b, "  %s %s\n", i == first ? ">" : " ", l->v[i]);
    if (first >= l->n) sb_add(b, "  > (nothing more)\n");
}

char *dl_check_predict_diff(const char *expected, const char *got)
{
    lines e, g;
    int rc = split_lines(expected, &e);
    if (rc == 0)
        rc = split_lines(got, &g);
    else
        memset(&g, 0, sizeof g);
    char *s = NULL;
    if (rc == 0) {
        size_t first = 0;
        while (first < e.n && first < g.n && dl_predict_matches(e.v[first], g.v[first]))
            first++;
        sbuf b = {0};
        /* Say where the answer goes wrong, not what the right answer is:
         * the program's output is shown only when the learner asks
         * (deferlab check --reveal, or S in the workbench). */
        if (first == e.n && first == g.n)
            sb_add(&b, "the same, line for line\n");
        else
            sb_printf(&b,
                      "first difference at line %zu (the program printed %zu line%s; "
                      "your answer has %zu)\n",
                      first + 1, e.n, e.n == 1 ? "" : "s", g.n);
        add_side(&b, "your answer:", &g, first);
        s = sb_take(&b);
    }
    lines_free(&e);
    lines_free(&g);
    return s;
}

/* The implicit "answer" result of a predict challenge. */
static int check_predict(const dl_challenge *ch, const char *name, const char *src, size_t len,
                         const dl_check_opts *opts, dl_check_result *res)
{
    const char *path = ch->doc->path;
    uint32_t seed = opts && opts->have_seed ? opts->seed : dl_check_seeds[0];
    res->name = "answer";
    res->line = ch->program_line - 1;
    res->seed = seed;
    res->runs = 1;
    /* The program alone: what it prints is the truth. */
    run_ctx prog = {0};
    run_out po;
    run_in in = {.ch = ch,
                 .code = ch->program,
                 .code_line = ch->program_line,
                 .code_name = path,
                 .seed = seed,
                 .opts = opts};
    int rc = run_once(&in, &prog, &po);
    if (rc != 0) {
        run_ctx_free(&prog);
        return rc;
    }
    res->expected = sb_take(&prog.output);
    res->model = prog.model;
    prog.model = NULL;
    run_ctx_free(&prog);
    if (!res->expected) return DL_ENOMEM;
    sbuf b = {0};
    if (po.failed_at) {
        sb_printf(&b, "check `answer` (%s:%d): the challenge's program itself failed: %s", path,
                  res->line, po.error);
        goto out;
    }
    /* The learner's file, then hand over `answer`. */
    run_ctx lr = {0};
    run_out lo;
    static const char give[] = "__deferlab_answer()";
    run_in lin = {.ch = ch,
                  .name = name,
                  .src = src,
                  .len = len,
                  .with_learner = true,
                  .code = give,
                  .code_line = 1,
                  .code_name = HELPERS_CHUNK,
                  .seed = seed,
                  .opts = opts};
    rc = run_once(&lin, &lr, &lo);
    if (rc != 0) {
        run_ctx_free(&lr);
        free(b.s);
        return rc;
    }
    res->output = sb_take(&lr.output);
    if (!res->output) rc = DL_ENOMEM;
    if (lo.failed_at == STAGE_LEARNER) {
        sb_printf(&b, "check `answer` (%s:%d): your file: %s", path, res->line, lo.error);
    } else if (!lr.answer) {
        sb_printf(&b,
                  "check `answer` (%s:%d): your file must set `answer` to a string with what "
                  "you think the program prints (it is %s)",
                  path, res->line, lr.answer_type[0] ? lr.answer_type : "not set");
    } else {
        res->got = lr.answer;
        lr.answer = NULL;
        if (!dl_predict_matches(res->got, res->expected)) {
            char *diff = dl_check_predict_diff(res->expected, res->got);
            if (!diff) rc = DL_ENOMEM;
            bool empty = strspn(res->got, " \t\r\n") == strlen(res->got);
            sb_printf(&b, "check `answer` (%s:%d): %s, %s", path, res->line,
                      empty ? "your answer is empty: write what you think the program prints"
                            : "your answer differs from what the program prints",
                      diff ? diff : "");
            free(diff);
        }
    }
    run_ctx_free(&lr);
out:
    if (b.len || b.oom) {
        res->message = sb_take(&b);
        if (!res->message) return DL_ENOMEM;
    }
    res->passed = res->message == NULL;
    return rc;
}

/* ===================================================================== */
/* The checker                                                           */
/* ===================================================================== */

static int check_one(const dl_challenge *ch, const dl_chal_check *k, const char *name,
                     const char *src, size_t len, const dl_check_opts *opts, dl_check_result *res)
{
    res->name = k->name;
    res->line = k->line;
    res->seeded = k->seeded;
    uint32_t one = opts && opts->have_seed ? opts->seed : dl_check_seeds[0];
    const uint32_t *seeds = k->seeded && !(opts && opts->have_seed) ? dl_check_seeds : &one;
    size_t nseeds = seeds == dl_check_seeds ? DL_CHECK_NSEEDS : 1;
    for (size_t i = 0; i < nseeds; i++) {
        run_ctx r = {0};
        run_out o;
        run_in in = {.ch = ch,
                     .name = name,
                     .src = src,
                     .len = len,
                     .with_learner = true,
                     .code = k->code,
                     .code_line = k->code_line,
                     .code_name = ch->doc->path,
                     .seed = seeds[i],
                     .opts = opts};
        int rc = run_once(&in, &r, &o);
        if (rc != 0) {
            run_ctx_free(&r);
            return rc;
        }
        bool failed = o.failed_at || r.fail_msg;
        dl_model_free(res->model);
        free(res->output);
        res->model = r.model;
        r.model = NULL;
        res->output = sb_take(&r.output);
        res->seed = seeds[i];
        res->runs = (int)i + 1;
        if (failed) {
            char *msg = explain(ch, k->name, k->line, &r, &o);
            if (msg && k->seeded) {
                sbuf b = {0};
                sb_printf(&b, "%s\n  (with seed %lu)", msg, (unsigned long)seeds[i]);
                free(msg);
                msg = sb_take(&b);
            }
            res->message = msg;
            run_ctx_free(&r);
            return msg && res->output ? 0 : DL_ENOMEM;
        }
        run_ctx_free(&r);
        if (!res->output) return DL_ENOMEM;
    }
    res->passed = true;
    return 0;
}

int dl_check_run_text(const dl_challenge *ch, const char *name, const char *src, size_t len,
                      const dl_check_opts *opts, dl_check_report *out)
{
    memset(out, 0, sizeof *out);
    size_t n = ch->nchecks + (ch->kind == DL_CHAL_PREDICT && ch->program ? 1 : 0);
    out->results = calloc(n ? n : 1, sizeof *out->results);
    if (!out->results) return DL_ENOMEM;
    int rc = 0;
    if (ch->kind == DL_CHAL_PREDICT && ch->program) {
        rc = check_predict(ch, name, src, len, opts, &out->results[out->nresults++]);
    }
    for (size_t i = 0; rc == 0 && i < ch->nchecks; i++)
        rc = check_one(ch, &ch->checks[i], name, src, len, opts, &out->results[out->nresults++]);
    for (size_t i = 0; i < out->nresults; i++)
        if (out->results[i].passed) out->npassed++;
    out->passed = rc == 0 && out->npassed == n;
    return rc;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    sbuf b = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_addn(&b, chunk, got);
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        free(b.s);
        errno = saved;
        return NULL;
    }
    *len = b.len;
    char *s = sb_take(&b);
    if (!s) errno = ENOMEM;
    return s;
}

int dl_check_run_file(const dl_challenge *ch, const char *path, const dl_check_opts *opts,
                      dl_check_report *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t len = 0;
    char *src = read_all(path, &len);
    if (!src) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    const char *slash = strrchr(path, '/');
    int rc = dl_check_run_text(ch, slash ? slash + 1 : path, src, len, opts, out);
    free(src);
    return rc;
}

void dl_check_report_free(dl_check_report *r)
{
    for (size_t i = 0; i < r->nresults; i++) {
        dl_check_result *c = &r->results[i];
        free(c->message);
        free(c->output);
        free(c->expected);
        free(c->got);
        dl_model_free(c->model);
    }
    free(r->results);
    memset(r, 0, sizeof *r);
}

const dl_check_result *dl_check_first_failure(const dl_check_report *r)
{
    for (size_t i = 0; i < r->nresults; i++)
        if (!r->results[i].passed) return &r->results[i];
    return NULL;
}
