#!/usr/bin/env node
/*
 * The npm "soap" package as an HTTP SOAP client of the echo/add service
 * (peer11.wsdl, peer12.wsdl), for tests/soap_peer.sh: it calls a service
 * built on our DLL's HTTP listener and channels.
 *
 *   node client.js URL 1.1|1.2     call Echo and Add (one sum that fits,
 *                                  one that overflows) and print one line
 *                                  per result
 *   node client.js shutdown URL    POST the service's Shutdown request
 *                                  (not in the WSDL: SOAP 1.1, empty body)
 *
 * Output lines (checked exactly by the script):
 *   Echo: "TEXT"
 *   Add: RESULT
 *   Add fault: HTTP STATUS, REASON
 */
'use strict';

const http = require('http');
const path = require('path');
const soap = require('soap');

/* An element's text as soap parses it: a string, or { attributes, $value }
 * when the element has attributes (xml:lang). */
function textOf(value)
{
    return typeof value === 'object' && value !== null ? value.$value : value;
}

/* The fault reason of a rejected call: SOAP 1.1 faultstring or SOAP 1.2 Reason/Text. */
function faultReason(e)
{
    const fault = e.root && e.root.Envelope && e.root.Envelope.Body && e.root.Envelope.Body.Fault;
    if (!fault) return 'no SOAP fault: ' + e.message;
    if (fault.faultstring !== undefined) return textOf( fault.faultstring );
    return textOf( fault.Reason && fault.Reason.Text );
}

async function call(url, version)
{
    const wsdl = path.join( __dirname, version === '1.2' ? 'peer12.wsdl' : 'peer11.wsdl' );
    const client = await soap.createClientAsync( wsdl, { endpoint: url, forceSoap12Headers: version === '1.2' } );
    const text = 'hello from npm soap, gr\u00fc\u00df dich, \u4e16\u754c & <tags>';
    const [echo] = await client.EchoAsync( { text } );
    console.log( `Echo: ${JSON.stringify( echo.text )}` );
    console.log( `Echo matches: ${echo.text === text}` );
    const [sum] = await client.AddAsync( { a: 40, b: 2 } );
    console.log( `Add: ${sum.result}` );
    try
    {
        await client.AddAsync( { a: 2147483647, b: 1 } );
        console.log( 'Add fault: none' );
    }
    catch (e)
    {
        console.log( `Add fault: HTTP ${e.response ? e.response.status : '?'}, ${faultReason( e )}` );
    }
}

function shutdown(url)
{
    const body = '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>';
    return new Promise( (resolve, reject) => {
        const req = http.request( url, { method: 'POST', headers: {
            'Content-Type': 'text/xml; charset=utf-8', 'SOAPAction': '"http://example.org/peer/Shutdown"',
            'Content-Length': Buffer.byteLength( body ) } }, (res) => {
            res.resume();
            res.on( 'end', () => { console.log( `Shutdown: HTTP ${res.statusCode}` ); resolve(); } );
        } );
        req.on( 'error', reject );
        req.end( body );
    } );
}

async function main()
{
    const [arg1, arg2] = process.argv.slice( 2 );
    if (arg1 === 'shutdown' && arg2) return shutdown( arg2 );
    if (!arg1 || (arg2 !== '1.1' && arg2 !== '1.2'))
    {
        console.error( 'usage: node client.js URL 1.1|1.2 | node client.js shutdown URL' );
        process.exit( 2 );
    }
    return call( arg1, arg2 );
}

main().catch( (e) => { console.log( 'error: ' + (e.message || e) ); process.exit( 1 ); } );
