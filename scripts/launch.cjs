#!/usr/bin/env node
// `npm start` / `npm test` on any machine with Node and npm: runs an npm script (argv[2]) after making
// sure of what it needs. When `node` is older than package.json's devEngines.runtime.version, the
// registry's `node@22` package is installed once into .node/ (git-ignored) and this script re-runs
// under it; then dependencies are installed with `npm ci` when node_modules is missing or differs
// from package-lock.json. Plain CommonJS without modern syntax, so that even an old Node can run it.
'use strict';

var childProcess = require('child_process');
var fs = require('fs');
var os = require('os');
var path = require('path');

var ROOT = path.resolve(__dirname, '..');
var LOCAL_PREFIX = path.join(ROOT, '.node');
var LOCAL_NODE = path.join(LOCAL_PREFIX, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
var RELAUNCHED = 'BAG_LAUNCHED_UNDER_LOCAL_NODE';

function say(line) {
  process.stderr.write('> ' + line + '\n');
}

function fail(line) {
  process.stderr.write(line + '\n');
  process.exit(1);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** [major, minor, patch] of "v22.18.0", ">=22.18" or "22". */
function parseVersion(text) {
  var m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(String(text));
  return m ? [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0)] : [0, 0, 0];
}

function atLeast(version, wanted) {
  for (var i = 0; i < 3; i++) {
    if (version[i] !== wanted[i]) return version[i] > wanted[i];
  }
  return true;
}

/** The Node version contributors need, from package.json devEngines.runtime (one place to change it). */
function requiredNode() {
  var runtime = (readJson(path.join(ROOT, 'package.json')).devEngines || {}).runtime || {};
  return String(runtime.version || '>=22.18');
}

/** Runs a command, output shown; returns its exit code (1 when it could not start). */
function run(command, args, env) {
  var result = childProcess.spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: env || process.env });
  if (result.error) say(command + ' ' + args.join(' ') + ': ' + result.error.message);
  return result.status === null ? 1 : result.status;
}

/** npm under the current node: the npm that started us when there is one, else `npm` on PATH. */
function npmCommand(args) {
  var cli = process.env.npm_execpath;
  if (cli && /\.c?js$/.test(cli) && fs.existsSync(cli)) return { command: process.execPath, args: [cli].concat(args) };
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: args };
}

function versionOf(nodeBinary) {
  var result = childProcess.spawnSync(nodeBinary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? parseVersion(result.stdout) : null;
}

/** Re-runs this script under .node/'s Node (installed first when needed) and exits with its code. */
function relaunchUnderLocalNode(wantedText, wanted) {
  var howTo = 'install Node ' + wanted[0] + ' (nvm install, see .nvmrc; or https://nodejs.org) and retry.';
  if (process.env[RELAUNCHED]) fail('This repository needs Node ' + wantedText + '; .node/ holds ' + process.version + '. Delete .node/ or ' + howTo);
  var local = fs.existsSync(LOCAL_NODE) ? versionOf(LOCAL_NODE) : null;
  if (!local || !atLeast(local, wanted)) {
    say('Node ' + process.version + ' is older than the ' + wantedText + ' this repository needs: installing the registry\'s node@' + wanted[0] + ' into .node/ (once).');
    var npm = npmCommand(['install', '--prefix', LOCAL_PREFIX, '--no-audit', '--no-fund', '--loglevel=error', 'node@' + wanted[0]]);
    if (run(npm.command, npm.args) !== 0 || !fs.existsSync(LOCAL_NODE)) fail('This repository needs Node ' + wantedText + ' (found ' + process.version + ') and installing node@' + wanted[0] + ' into .node/ failed; ' + howTo);
  }
  var env = Object.assign({}, process.env);
  env[RELAUNCHED] = '1';
  // Every `node` started below (npm, its scripts, the tools' #! lines) is then the local one.
  env.PATH = path.dirname(LOCAL_NODE) + path.delimiter + (process.env.PATH || '');
  exitLike(spawnForwardingSignals(LOCAL_NODE, [__filename].concat(process.argv.slice(2)), env));
}

/**
 * Why node_modules does not match package-lock.json, or '' when it does: every package the lockfile
 * lists is there, at its version (read from the installed package.json, not from npm's own record).
 */
function dependencyProblem() {
  if (!fs.existsSync(path.join(ROOT, 'node_modules'))) return 'node_modules is missing';
  var wanted = readJson(path.join(ROOT, 'package-lock.json')).packages || {};
  var names = Object.keys(wanted);
  for (var i = 0; i < names.length; i++) {
    var name = names[i];
    var entry = wanted[name];
    if (name === '' || name.indexOf('node_modules/') !== 0) continue; // the project and its workspaces
    var installed = readVersion(path.join(ROOT, name));
    // Optional packages for other platforms are in the lockfile but never installed.
    if (installed === null && entry.optional) continue;
    if (installed === null) return name.slice('node_modules/'.length) + ' is not installed';
    if (!entry.link && installed !== entry.version) return name.slice('node_modules/'.length) + ' is ' + installed + ', package-lock.json wants ' + entry.version;
  }
  return '';
}

/** The version in a folder's package.json; null when there is none. */
function readVersion(dir) {
  try {
    return String(readJson(path.join(dir, 'package.json')).version);
  } catch (error) {
    return null;
  }
}

/**
 * Spawns a child that gets this process's SIGTERM. Ctrl-C's SIGINT already reaches the whole process
 * group, so it is only kept from ending this process before the child has finished.
 */
function spawnForwardingSignals(command, args, env) {
  var child = childProcess.spawn(command, args, { cwd: ROOT, stdio: 'inherit', env: env });
  process.on('SIGINT', function () {});
  process.on('SIGTERM', function () {
    child.kill('SIGTERM');
  });
  child.on('error', function (error) {
    fail(command + ': ' + error.message);
  });
  return child;
}

function exitLike(child) {
  child.on('exit', function (code, signal) {
    // Ended by a signal: the shell's convention, 128 + its number.
    process.exit(signal ? 128 + (os.constants.signals[signal] || 0) : code === null ? 1 : code);
  });
}

function main() {
  var script = process.argv[2];
  if (!script) fail('Usage: node scripts/launch.cjs <npm script> [args...]');
  var wantedText = requiredNode();
  var wanted = parseVersion(wantedText);
  if (!atLeast(parseVersion(process.version), wanted)) return relaunchUnderLocalNode(wantedText, wanted);
  var problem = dependencyProblem();
  if (problem) {
    say(problem + ': running npm ci.');
    var ci = npmCommand(['ci', '--no-audit', '--no-fund']);
    if (run(ci.command, ci.args) !== 0) fail('npm ci failed (see above); fix it and run the command again.');
  }
  var npm = npmCommand(['run', script].concat(process.argv.length > 3 ? ['--'].concat(process.argv.slice(3)) : []));
  exitLike(spawnForwardingSignals(npm.command, npm.args, process.env));
}

main();
