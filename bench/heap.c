/*
 * WsAlloc throughput benchmark.
 *
 * Workload: create a heap, make 1,000,000 allocations of mixed small sizes
 * (8..256 bytes, a fixed pseudo-random sequence) writing one byte into each,
 * with a WsResetHeap after every 1000 allocations, free the heap.  The
 * workload runs ROUNDS times; the best round is reported, as operations
 * (WsAlloc calls) per second measured with QueryPerformanceCounter.
 *
 * Output (stdout), one line each:
 *   dll: PATH (WHICH)          the webservices.dll actually loaded; WHICH is
 *                              "this project" when its version resource
 *                              carries our ProductName, else "other"
 *   round N: X ops/s
 *   heap_alloc_ops_per_sec: X  (best round)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "webservices.h"
#include "bench.h"

#define ALLOCS      1000000
#define RESET_EVERY 1000
#define ROUNDS      7
#define SIZE_COUNT  4096        /* power of two: sizes[i & (SIZE_COUNT - 1)] */

static SIZE_T sizes[SIZE_COUNT];

/* Whether MODULE is this project's DLL: its version resource holds our
 * ProductName (version.rc).  Wine's builtin keeps the path of the file it
 * stands in for, so the path alone does not tell. */
static void make_sizes(void)
{
    ULONG seed = 0x12345678, i;

    for (i = 0; i < SIZE_COUNT; i++)
    {
        seed = seed * 1664525 + 1013904223;
        sizes[i] = 8 + (seed >> 8) % 249;       /* 8..256 */
    }
}

/* One round; returns the elapsed seconds, or a negative value on failure. */
static double run_round(void)
{
    LARGE_INTEGER freq, start, end;
    WS_HEAP *heap;
    HRESULT hr;
    ULONG i;
    void *ptr;

    QueryPerformanceFrequency( &freq );
    QueryPerformanceCounter( &start );
    if ((hr = WsCreateHeap( 1 << 20, 1 << 18, NULL, 0, &heap, NULL )) != S_OK)
    {
        printf( "WsCreateHeap failed: %#lx\n", hr );
        return -1.0;
    }
    for (i = 0; i < ALLOCS; i++)
    {
        if ((hr = WsAlloc( heap, sizes[i & (SIZE_COUNT - 1)], &ptr, NULL )) != S_OK)
        {
            printf( "WsAlloc failed at %lu: %#lx\n", i, hr );
            WsFreeHeap( heap );
            return -1.0;
        }
        *(volatile BYTE *)ptr = (BYTE)i;
        if ((i + 1) % RESET_EVERY == 0 && (hr = WsResetHeap( heap, NULL )) != S_OK)
        {
            printf( "WsResetHeap failed: %#lx\n", hr );
            WsFreeHeap( heap );
            return -1.0;
        }
    }
    WsFreeHeap( heap );
    QueryPerformanceCounter( &end );
    return (double)(end.QuadPart - start.QuadPart) / (double)freq.QuadPart;
}

int main(void)
{
    HMODULE module = GetModuleHandleA( "webservices.dll" );
    char path[MAX_PATH] = "?";
    double best = 0.0;
    int round;

    make_sizes();
    GetModuleFileNameA( module, path, sizeof(path) );
    printf( "dll: %s (%s)\n", path, is_our_dll( module ) ? "this project" : "other" );

    run_round();    /* warm-up: page in the DLL and the process heap */
    for (round = 0; round < ROUNDS; round++)
    {
        double secs = run_round(), ops;

        if (secs <= 0.0) return 1;
        ops = ALLOCS / secs;
        printf( "round %d: %.0f ops/s\n", round, ops );
        if (ops > best) best = ops;
    }
    printf( "heap_alloc_ops_per_sec: %.0f\n", best );
    return 0;
}
