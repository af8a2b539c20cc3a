#!/usr/bin/env node
/*
 * The npm "soap" package as an HTTP SOAP server of the echo/add service
 * (peer11.wsdl, peer12.wsdl), for tests/soap_peer.sh: our DLL's HTTP request
 * channel calls it (webservices_test.exe soap_peer client URL...).
 *
 *   node server.js PORT
 *
 * serves SOAP 1.1 on http://127.0.0.1:PORT/peer11 and SOAP 1.2 on
 * http://127.0.0.1:PORT/peer12 (one HTTP server each: PORT and PORT+1 would
 * need two free ports, so both paths share one server), prints
 * "listening PORT" once both listen, one line per call it answers, and runs
 * until killed (or for 120 s at most, so a lost test never leaves it behind).
 */
'use strict';

const http = require('http');
const fs = require('fs');
const path = require('path');
const soap = require('soap');

const INT_MIN = -2147483648, INT_MAX = 2147483647;

/* The fault of a sum outside xsd:int, as each SOAP version writes it. */
function overflowFault(version)
{
    if (version === '1.1')
        return { Fault: { faultcode: 'soap:Client', faultstring: 'integer overflow', statusCode: 500 } };
    return { Fault: { Code: { Value: 'soap:Sender' }, Reason: { Text: { attributes: { 'xml:lang': 'en' }, $value: 'integer overflow' } }, statusCode: 500 } };
}

function service(version)
{
    return {
        PeerService: {
            PeerPort: {
                Echo(args) {
                    console.log( `SOAP ${version} Echo(${JSON.stringify( args.text )})` );
                    return { text: args.text };
                },
                Add(args) {
                    const sum = Number( args.a ) + Number( args.b );
                    console.log( `SOAP ${version} Add(${args.a}, ${args.b})` );
                    if (sum < INT_MIN || sum > INT_MAX) throw overflowFault( version );
                    return { result: sum };
                },
            },
        },
    };
}

function main()
{
    const port = Number( process.argv[2] );
    if (!Number.isInteger( port ) || port <= 0 || port > 65535)
    {
        console.error( 'usage: node server.js PORT' );
        process.exit( 2 );
    }
    const server = http.createServer( (req, res) => {
        /* soap answers its two paths; anything else is not found */
        if (!req.url.startsWith( '/peer11' ) && !req.url.startsWith( '/peer12' )) { res.statusCode = 404; res.end(); }
    } );
    server.listen( port, '127.0.0.1', () => {
        for (const version of [ '1.1', '1.2' ])
        {
            const name = version === '1.1' ? 'peer11' : 'peer12';
            const xml = fs.readFileSync( path.join( __dirname, name + '.wsdl' ), 'utf8' );
            soap.listen( server, { path: '/' + name, services: service( version ), xml,
                                   forceSoap12Headers: version === '1.2', enableChunkedEncoding: false } );
        }
        console.log( `listening ${port}` );
    } );
    server.on( 'error', (e) => { console.error( 'server error: ' + e.message ); process.exit( 1 ); } );
    setTimeout( () => { console.error( 'server.js: time limit reached' ); process.exit( 1 ); }, 120000 ).unref();
    process.on( 'SIGTERM', () => { server.close(); process.exit( 0 ); } );
}

main();
