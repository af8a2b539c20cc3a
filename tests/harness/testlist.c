/* Test list of the harness self-test (like Wine's generated testlist.c). */
#define STANDALONE
#include "wine/test.h"

extern void func_pass(void);
extern void func_fail(void);
extern void func_todo(void);
extern void func_skip(void);
extern void func_context(void);
extern void func_threads(void);
extern void func_stress(void);
extern void func_lasterror(void);
extern void func_format(void);
extern void func_dbgstr(void);
extern void func_child(void);
extern void func_many(void);
extern void func_crash(void);
extern void func_noexit(void);
extern void func_hang(void);

const struct test winetest_testlist[] =
{
    { "pass", func_pass },
    { "fail", func_fail },
    { "todo", func_todo },
    { "skip", func_skip },
    { "context", func_context },
    { "threads", func_threads },
    { "stress", func_stress },
    { "lasterror", func_lasterror },
    { "format", func_format },
    { "dbgstr", func_dbgstr },
    { "child", func_child },
    { "many", func_many },
    { "crash", func_crash },
    { "noexit", func_noexit },
    { "hang", func_hang },
    { 0, 0 }
};
