#!/usr/bin/env node
/*
 * Captures the SOAP envelopes the npm "soap" package exchanges on the wire
 * and writes them to tests/soap_samples.h as C string constants, so that the
 * WWSAPI tests can check that our reader, serializer and fault code
 * interoperate with a widely used third-party SOAP stack.
 *
 * One node process runs a SOAP server and a client of the same tiny WSDL
 * ("Calculator", operation Divide) twice: with a SOAP 1.1 binding and with a
 * SOAP 1.2 binding.  For each binding it makes a normal call (10 / 4) and a
 * call whose server throws a SOAP fault with a detail (1 / 0).  The request
 * and response bodies are recorded by the HTTP server itself, byte for byte,
 * together with the HTTP headers that carry the action.
 *
 * Usage (from this directory):  npm install && npm run gen
 * Output: ../../tests/soap_samples.h (or the path given as first argument).
 */
'use strict';

const http = require('http');
const fs = require('fs');
const path = require('path');
const soap = require('soap');

const SOAP_VERSION = require('soap/package.json').version;
const TNS = 'http://example.org/calculator';

/* A document/literal WSDL; BINDING_NS/TRANSPORT decide the SOAP version. */
function wsdl(version)
{
    const soapNs = version === '1.1' ? 'http://schemas.xmlsoap.org/wsdl/soap/'
                                     : 'http://schemas.xmlsoap.org/wsdl/soap12/';
    return `<?xml version="1.0" encoding="utf-8"?>
<definitions name="Calculator" targetNamespace="${TNS}" xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:tns="${TNS}" xmlns:soap="${soapNs}" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <types>
    <xsd:schema targetNamespace="${TNS}" elementFormDefault="qualified">
      <xsd:element name="Divide">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="a" type="xsd:int"/>
          <xsd:element name="b" type="xsd:int"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:element name="DivideResponse">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="result" type="xsd:double"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:element name="DivideByZero">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="dividend" type="xsd:int"/>
          <xsd:element name="message" type="xsd:string"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
    </xsd:schema>
  </types>
  <message name="DivideIn"><part name="parameters" element="tns:Divide"/></message>
  <message name="DivideOut"><part name="parameters" element="tns:DivideResponse"/></message>
  <message name="DivideFault"><part name="detail" element="tns:DivideByZero"/></message>
  <portType name="CalculatorPortType">
    <operation name="Divide">
      <input message="tns:DivideIn"/>
      <output message="tns:DivideOut"/>
      <fault name="DivideByZero" message="tns:DivideFault"/>
    </operation>
  </portType>
  <binding name="CalculatorBinding" type="tns:CalculatorPortType">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Divide">
      <soap:operation soapAction="${TNS}/Divide"/>
      <input><soap:body use="literal"/></input>
      <output><soap:body use="literal"/></output>
      <fault name="DivideByZero"><soap:fault name="DivideByZero" use="literal"/></fault>
    </operation>
  </binding>
  <service name="CalculatorService">
    <port name="CalculatorPort" binding="tns:CalculatorBinding">
      <soap:address location="http://localhost/calculator"/>
    </port>
  </service>
</definitions>
`;
}

/* The fault detail element, in the service's namespace. */
function faultDetail(dividend)
{
    return {
        DivideByZero: {
            attributes: { xmlns: TNS },
            dividend: dividend,
            message: 'Attempted to divide by zero.',
        },
    };
}

/* SOAP 1.1 fault: faultcode/faultstring/faultactor/detail (SOAP 1.1 section 4.4). */
function fault11(dividend)
{
    return {
        Fault: {
            faultcode: 'soap:Client',
            faultstring: 'Division by zero',
            faultactor: 'http://example.org/calculator/actor',
            detail: faultDetail( dividend ),
            statusCode: 500,
        },
    };
}

/* SOAP 1.2 fault: Code/Value + Subcode, Reason/Text (two languages), Node, Role, Detail. */
function fault12(dividend)
{
    return {
        Fault: {
            Code: {
                Value: 'soap:Sender',
                Subcode: { Value: { attributes: { 'xmlns:calc': TNS }, $value: 'calc:DivideByZero' } },
            },
            Reason: {
                Text: [
                    { attributes: { 'xml:lang': 'en-US' }, $value: 'Division by zero' },
                    { attributes: { 'xml:lang': 'de-DE' }, $value: 'Division durch Null' },
                ],
            },
            Node: 'http://example.org/calculator/node',
            Role: 'http://example.org/calculator/role',
            /* soap prefixes every element of a SOAP 1.2 fault object with the
             * envelope prefix, detail included; raw XML keeps the detail
             * element in the service's namespace, as in the SOAP 1.1 fault. */
            Detail: { $xml: `<DivideByZero xmlns="${TNS}"><dividend>${dividend}</dividend>` +
                            '<message>Attempted to divide by zero.</message></DivideByZero>' },
            statusCode: 500,
        },
    };
}

function services(version)
{
    return {
        CalculatorService: {
            CalculatorPort: {
                Divide: function (args) {
                    const a = Number( args.a ), b = Number( args.b );
                    if (b === 0) throw version === '1.1' ? fault11( a ) : fault12( a );
                    return { result: a / b };
                },
            },
        },
    };
}

/* Runs one server and records every request/response pair it sees. */
async function capture(version)
{
    const exchanges = [];
    const server = http.createServer();
    /* soap's authorizeConnection hook runs before its own request listener,
     * so it sees the raw bytes; returning true lets soap answer. */
    const record = (req, res) => {
        const chunks = [], out = [];
        const exchange = { reqHeaders: req.headers, request: null, response: null, status: 0, resHeaders: null };
        req.on( 'data', (c) => chunks.push( c ) );
        req.on( 'end', () => { exchange.request = Buffer.concat( chunks ).toString( 'utf8' ); } );
        const write = res.write.bind( res ), end = res.end.bind( res );
        res.write = (c, ...rest) => { if (c) out.push( Buffer.from( c ) ); return write( c, ...rest ); };
        res.end = (c, ...rest) => {
            if (c && typeof c !== 'function') out.push( Buffer.from( c ) );
            exchange.response = Buffer.concat( out ).toString( 'utf8' );
            exchange.status = res.statusCode;
            exchange.resHeaders = res.getHeaders();
            return end( c, ...rest );
        };
        if (req.method === 'POST') exchanges.push( exchange );
        return true;
    };
    await new Promise( (resolve) => server.listen( 0, '127.0.0.1', resolve ) );
    const soapServer = soap.listen( server, { path: '/calculator', services: services( version ),
                                              xml: wsdl( version ), forceSoap12Headers: version === '1.2',
                                              enableChunkedEncoding: false } );
    soapServer.authorizeConnection = record;

    const url = `http://127.0.0.1:${server.address().port}/calculator`;
    const client = await soap.createClientAsync( url + '?wsdl', { forceSoap12Headers: version === '1.2',
                                                                 endpoint: url } );
    const [ok] = await client.DivideAsync( { a: 10, b: 4 } );
    let fault = null;
    try { await client.DivideAsync( { a: 1, b: 0 } ); }
    catch (e) { fault = e.root ? e.root.Envelope.Body.Fault : e; }
    server.close();
    if (!ok || ok.result !== 2.5) throw new Error( 'unexpected result ' + JSON.stringify( ok ) );
    if (!fault) throw new Error( 'the fault call did not fail' );
    if (exchanges.length !== 2) throw new Error( `expected 2 exchanges, got ${exchanges.length}` );
    return exchanges;
}

/* A C string literal, one source line per line of XML-ish text. */
function cString(text)
{
    const escaped = text.replace( /\\/g, '\\\\' ).replace( /"/g, '\\"' ).replace( /\r/g, '\\r' )
                        .replace( /\t/g, '\\t' ).replace( /[^\x20-\x7e\n]/g, (ch) => {
                            return Array.from( Buffer.from( ch, 'utf8' ) )
                                        .map( (b) => '\\' + b.toString( 8 ).padStart( 3, '0' ) ).join( '' );
                        } );
    /* Break after each '>' so that long envelopes stay readable. */
    const pieces = escaped.split( '\n' ).join( '\\n\n' ).replace( />(?=<)/g, '>\n' ).split( '\n' );
    return pieces.map( (p) => '    "' + p + '"' ).join( '\n' );
}

function headerComment(headers, names)
{
    return names.filter( (n) => headers[n] !== undefined )
                .map( (n) => ` *   ${n}: ${headers[n]}` ).join( '\n' );
}

function emit(name, description, headers, headerNames, body)
{
    return `/* ${description}\n * HTTP headers:\n${headerComment( headers, headerNames )}\n */\n` +
           `static const char ${name}[] =\n${cString( body )};\n`;
}

async function main()
{
    const out = process.argv[2] || path.join( __dirname, '..', '..', 'tests', 'soap_samples.h' );
    const parts = [];

    parts.push( `/*
 * GENERATED FILE - DO NOT EDIT.
 * Generated by tools/soap-samples/gen.js (npm "soap" ${SOAP_VERSION}, node ${process.version});
 * regenerate with "cd tools/soap-samples && npm install && npm run gen".
 *
 * SOAP envelopes exchanged on the wire by the npm "soap" package's client
 * and server for the WSDL in gen.js: service CalculatorService, operation
 * Divide(a, b) in namespace SOAP_SAMPLES_NS, action SOAP_SAMPLES_ACTION.
 * Each binding has a normal call (10 / 4 = 2.5) and a call whose server
 * throws a SOAP fault with a detail element (1 / 0).  Bodies are byte for
 * byte as sent, UTF-8, without the HTTP framing (the relevant HTTP headers
 * are in the comments).
 *
 * SOAP 1.1 fault: faultcode soap:Client, faultstring "Division by zero",
 *   faultactor http://example.org/calculator/actor, detail
 *   <DivideByZero xmlns=SOAP_SAMPLES_NS><dividend>1</dividend>
 *   <message>Attempted to divide by zero.</message></DivideByZero>.
 * SOAP 1.2 fault: Code/Value soap:Sender, Subcode/Value calc:DivideByZero
 *   (calc = SOAP_SAMPLES_NS), Reason/Text "Division by zero" (xml:lang
 *   en-US) and "Division durch Null" (de-DE), Node
 *   http://example.org/calculator/node, Role
 *   http://example.org/calculator/role, the same Detail element.
 */

#ifndef __WEBSERVICES_TESTS_SOAP_SAMPLES_H
#define __WEBSERVICES_TESTS_SOAP_SAMPLES_H

#define SOAP_SAMPLES_NS     "${TNS}"
#define SOAP_SAMPLES_ACTION "${TNS}/Divide"
` );
    for (const version of [ '1.1', '1.2' ])
    {
        const tag = version === '1.1' ? 'soap11' : 'soap12';
        const [call, fault] = await capture( version );
        const reqNames = [ 'content-type', 'soapaction' ];
        const resNames = [ 'content-type' ];
        parts.push( emit( `${tag}_request`, `SOAP ${version}: request Divide(a=10, b=4), client to server.`,
                          call.reqHeaders, reqNames, call.request ) );
        parts.push( emit( `${tag}_response`, `SOAP ${version}: response (HTTP ${call.status}), result 2.5.`,
                          call.resHeaders, resNames, call.response ) );
        parts.push( emit( `${tag}_fault_request`, `SOAP ${version}: request Divide(a=1, b=0), client to server.`,
                          fault.reqHeaders, reqNames, fault.request ) );
        parts.push( emit( `${tag}_fault_response`, `SOAP ${version}: fault response (HTTP ${fault.status}).`,
                          fault.resHeaders, resNames, fault.response ) );
    }
    parts.push( '#endif /* __WEBSERVICES_TESTS_SOAP_SAMPLES_H */\n' );
    fs.writeFileSync( out, parts.join( '\n' ) );
    console.log( 'wrote ' + out );
}

main().catch( (e) => { console.error( e ); process.exit( 1 ); } );
