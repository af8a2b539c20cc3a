/*
 * Experiment (not part of the test suite): does the HTTP Server API
 * (httpapi.dll / http.sys) serve requests under Wine, and does WinHTTP work
 * as a client to a local server?  Result and decision: docs/transport.md.
 *
 *   http_experiment server PORT [COUNT [HOST]]  serve COUNT requests on http://HOST:PORT/wsexp/
 *                                         (HOST: localhost by default, "+" or "*" for wildcards)
 *   http_experiment client URL            POST "ping" to URL with WinHTTP, print the answer
 *
 * Build: x86_64-w64-mingw32-gcc -o http_experiment.exe tools/http_experiment.c -lhttpapi -lwinhttp
 */

#include <winsock2.h>
#include <windows.h>
#include <http.h>
#include <winhttp.h>
#include <stdio.h>
#include <stdlib.h>

static int server( int port, int count, const char *host )
{
    HTTPAPI_VERSION version = HTTPAPI_VERSION_2;
    HTTP_SERVER_SESSION_ID session = 0;
    HTTP_URL_GROUP_ID group = 0;
    HTTP_BINDING_INFO binding;
    HANDLE queue = NULL;
    WCHAR url[64];
    ULONG ret;
    int served = 0;

    swprintf( url, 64, L"http://%hs:%d/wsexp/", host, port );
    if ((ret = HttpInitialize( version, HTTP_INITIALIZE_SERVER, NULL ))) { printf( "HttpInitialize %lu\n", ret ); return 1; }
    if ((ret = HttpCreateServerSession( version, &session, 0 ))) { printf( "HttpCreateServerSession %lu\n", ret ); return 1; }
    if ((ret = HttpCreateUrlGroup( session, &group, 0 ))) { printf( "HttpCreateUrlGroup %lu\n", ret ); return 1; }
    if ((ret = HttpCreateRequestQueue( version, NULL, NULL, 0, &queue ))) { printf( "HttpCreateRequestQueue %lu\n", ret ); return 1; }
    binding.Flags.Present = 1;
    binding.RequestQueueHandle = queue;
    if ((ret = HttpSetUrlGroupProperty( group, HttpServerBindingProperty, &binding, sizeof(binding) )))
    { printf( "HttpSetUrlGroupProperty %lu\n", ret ); return 1; }
    if ((ret = HttpAddUrlToUrlGroup( group, url, 0, 0 ))) { printf( "HttpAddUrlToUrlGroup %lu\n", ret ); return 1; }
    printf( "listening on %ls\n", url );
    fflush( stdout );

    while (served < count)
    {
        BYTE buffer[16384], body[4096];
        HTTP_REQUEST *request = (HTTP_REQUEST *)buffer;
        HTTP_RESPONSE response;
        HTTP_DATA_CHUNK chunk;
        ULONG bytes = 0, body_len = 0;
        char answer[256];

        memset( buffer, 0, sizeof(buffer) );
        if ((ret = HttpReceiveHttpRequest( queue, HTTP_NULL_ID, 0, request, sizeof(buffer), &bytes, NULL )))
        { printf( "HttpReceiveHttpRequest %lu\n", ret ); return 1; }
        if (request->Flags & HTTP_REQUEST_FLAG_MORE_ENTITY_BODY_EXISTS)
        {
            ret = HttpReceiveRequestEntityBody( queue, request->RequestId, 0, body, sizeof(body), &body_len, NULL );
            printf( "HttpReceiveRequestEntityBody %lu, %lu bytes\n", ret, body_len );
        }
        else if (request->EntityChunkCount)
        {
            body_len = request->pEntityChunks[0].FromMemory.BufferLength;
            if (body_len > sizeof(body)) body_len = sizeof(body);
            memcpy( body, request->pEntityChunks[0].FromMemory.pBuffer, body_len );
        }
        printf( "request: verb %d url %ls content-type %.*s body %.*s\n", request->Verb,
                request->CookedUrl.pFullUrl,
                request->Headers.KnownHeaders[HttpHeaderContentType].RawValueLength,
                request->Headers.KnownHeaders[HttpHeaderContentType].pRawValue,
                (int)body_len, (char *)body );

        sprintf( answer, "hello from http.sys, you sent %lu bytes", body_len );
        memset( &response, 0, sizeof(response) );
        response.StatusCode = 200;
        response.pReason = "OK";
        response.ReasonLength = 2;
        response.Headers.KnownHeaders[HttpHeaderContentType].pRawValue = "text/plain";
        response.Headers.KnownHeaders[HttpHeaderContentType].RawValueLength = 10;
        chunk.DataChunkType = HttpDataChunkFromMemory;
        chunk.FromMemory.pBuffer = answer;
        chunk.FromMemory.BufferLength = strlen( answer );
        response.EntityChunkCount = 1;
        response.pEntityChunks = &chunk;
        ret = HttpSendHttpResponse( queue, request->RequestId, 0, &response, NULL, &bytes, NULL, 0, NULL, NULL );
        printf( "HttpSendHttpResponse %lu\n", ret );
        fflush( stdout );
        served++;
    }
    HttpRemoveUrlFromUrlGroup( group, url, 0 );
    HttpCloseUrlGroup( group );
    HttpCloseRequestQueue( queue );
    HttpCloseServerSession( session );
    HttpTerminate( HTTP_INITIALIZE_SERVER, NULL );
    return 0;
}

static int client( const WCHAR *url )
{
    URL_COMPONENTS parts;
    WCHAR host[256], path[1024];
    HINTERNET session, connection, request;
    DWORD status = 0, size = sizeof(status), read;
    char body[4096];

    memset( &parts, 0, sizeof(parts) );
    parts.dwStructSize = sizeof(parts);
    parts.lpszHostName = host;
    parts.dwHostNameLength = ARRAYSIZE(host);
    parts.lpszUrlPath = path;
    parts.dwUrlPathLength = ARRAYSIZE(path);
    if (!WinHttpCrackUrl( url, 0, 0, &parts )) { printf( "WinHttpCrackUrl %lu\n", GetLastError() ); return 1; }
    if (!(session = WinHttpOpen( L"wwsapi-experiment", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0 )))
    { printf( "WinHttpOpen %lu\n", GetLastError() ); return 1; }
    if (!(connection = WinHttpConnect( session, host, parts.nPort, 0 ))) { printf( "WinHttpConnect %lu\n", GetLastError() ); return 1; }
    if (!(request = WinHttpOpenRequest( connection, L"POST", path, NULL, NULL, NULL, 0 )))
    { printf( "WinHttpOpenRequest %lu\n", GetLastError() ); return 1; }
    if (!WinHttpSendRequest( request, L"Content-Type: application/soap+xml; charset=utf-8\r\n", (DWORD)-1, "ping", 4, 4, 0 ))
    { printf( "WinHttpSendRequest %lu\n", GetLastError() ); return 1; }
    if (!WinHttpReceiveResponse( request, NULL )) { printf( "WinHttpReceiveResponse %lu\n", GetLastError() ); return 1; }
    WinHttpQueryHeaders( request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, NULL, &status, &size, NULL );
    if (!WinHttpReadData( request, body, sizeof(body) - 1, &read )) { printf( "WinHttpReadData %lu\n", GetLastError() ); return 1; }
    body[read] = 0;
    printf( "status %lu body %s\n", status, body );
    WinHttpCloseHandle( request );
    WinHttpCloseHandle( connection );
    WinHttpCloseHandle( session );
    return 0;
}

int main( int argc, char **argv )
{
    WCHAR url[1024];

    if (argc >= 3 && !strcmp( argv[1], "server" )) return server( atoi( argv[2] ), argc >= 4 ? atoi( argv[3] ) : 1, argc >= 5 ? argv[4] : "localhost" );
    if (argc >= 3 && !strcmp( argv[1], "client" ))
    {
        MultiByteToWideChar( CP_ACP, 0, argv[2], -1, url, ARRAYSIZE(url) );
        return client( url );
    }
    printf( "usage: %s server PORT [COUNT] | client URL\n", argv[0] );
    return 2;
}
