// Mozilla Readability under jsdom over a list of HTML files, one process.
//
//   node readability.js NODE_MODULES LIST OUT
//
// LIST names one HTML file per line (read before the clock starts); each
// page is parsed with jsdom and given to Readability.  OUT gets one JSON
// line per page {"file", "title", "body"} (body: textContent).  The last
// line on stdout is {"pages", "seconds", "cpu_seconds"}: the time of the
// parse-and-extract loop alone (reading the files and writing OUT are not
// counted), so the peer is not charged for node's start-up.
'use strict';
const fs = require('fs');
const path = require('path');

const [mods, list, out] = process.argv.slice(2);
const { JSDOM, VirtualConsole } = require(path.join(mods, 'jsdom'));
const { Readability } = require(path.join(mods, '@mozilla/readability'));

const files = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
const pages = files.map(f => fs.readFileSync(f, 'utf8'));
const results = new Array(files.length);
const vc = new VirtualConsole();   // silence CSS and script warnings

const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let i = 0; i < files.length; i++) {
	const dom = new JSDOM(pages[i], { url: 'http://127.0.0.1/', virtualConsole: vc });
	const art = new Readability(dom.window.document).parse();
	results[i] = art ? { title: art.title, body: art.textContent } : null;
	dom.window.close();
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);

const fd = fs.openSync(out, 'w');
for (let i = 0; i < files.length; i++) {
	const r = results[i] || { title: null, body: null };
	fs.writeSync(fd, JSON.stringify({ file: files[i], title: r.title, body: r.body }) + '\n');
}
fs.closeSync(fd);
console.log(JSON.stringify({ pages: files.length, seconds: secs,
	cpu_seconds: (cpu.user + cpu.system) / 1e6 }));
