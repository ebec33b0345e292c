#!/usr/bin/env node
// CI's check of the newcomer path: clone this repository (its committed HEAD) into a temporary folder,
// run `npm start` there exactly as the README says, with whatever Node is first on PATH (on the CI
// machine, its own Node 20) and nothing installed, and expect GET /health to answer 200. The clone
// installs Node 22 into its own .node/ and its dependencies with npm ci, as a newcomer's would.
// Usage: node scripts/fresh-clone-check.cjs   (exit 0 on success; the clone is removed either way)
'use strict';

var childProcess = require('child_process');
var fs = require('fs');
var http = require('http');
var os = require('os');
var path = require('path');

var ROOT = path.resolve(__dirname, '..');
var TIMEOUT_MS = 15 * 60 * 1000;
var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bag-fresh-clone-'));
var clone = path.join(dir, 'repo');
var child;
var output = '';

var finished = false;

function finish(code, line) {
  if (finished) return;
  finished = true;
  process.stderr.write(line + '\n');
  if (child && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM'); // npm start's whole process group
    } catch (error) {
      // already gone
    }
  }
  setTimeout(function () {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  }, 2000);
}

function freePort(callback) {
  var server = http.createServer();
  server.listen(0, '127.0.0.1', function () {
    var port = server.address().port;
    server.close(function () {
      callback(port);
    });
  });
}

var nodeVersion = childProcess.execFileSync('node', ['--version'], { encoding: 'utf8' }).trim();
process.stderr.write('fresh-clone-check: git clone ' + ROOT + ' → ' + clone + '; npm start with node ' + nodeVersion + ' from PATH\n');
childProcess.execFileSync('git', ['clone', '--quiet', ROOT, clone], { stdio: 'inherit' });

freePort(function (port) {
  var env = Object.assign({}, process.env, { PORT: String(port), LOG_LEVEL: 'warn' });
  // Nothing of this process's own npm run (its PATH entries, its node) leaks into the newcomer's shell.
  Object.keys(env).forEach(function (key) {
    if (/^npm_/i.test(key)) delete env[key];
  });
  env.PATH = (env.PATH || '').split(path.delimiter).filter(function (p) {
    return p.indexOf(ROOT) !== 0 && !/node_modules[\\/]\.bin$/.test(p);
  }).join(path.delimiter);
  child = childProcess.spawn('npm', ['start'], { cwd: clone, env: env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  var started = Date.now();
  var collect = function (chunk) {
    process.stderr.write(chunk);
    output += chunk;
    var m = /listening on (http:\/\/\S+)/.exec(output);
    if (m && !collect.asked) {
      collect.asked = true;
      http.get(m[1] + '/health', function (res) {
        var body = '';
        res.on('data', function (d) {
          body += d;
        });
        res.on('end', function () {
          var seconds = Math.round((Date.now() - started) / 1000);
          if (res.statusCode === 200) finish(0, 'fresh-clone-check: GET /health → 200 ' + body + ' (' + seconds + ' s after npm start, node ' + nodeVersion + ' on PATH)');
          else finish(1, 'fresh-clone-check: GET /health → ' + res.statusCode + ' ' + body);
        });
      }).on('error', function (error) {
        finish(1, 'fresh-clone-check: GET /health failed: ' + error.message);
      });
    }
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.on('exit', function (code, signal) {
    if (!collect.asked) finish(1, 'fresh-clone-check: npm start ended (' + (signal || code) + ') before the server listened');
  });
  setTimeout(function () {
    finish(1, 'fresh-clone-check: no "listening on" line within ' + TIMEOUT_MS / 60000 + ' minutes');
  }, TIMEOUT_MS).unref();
});
