#!/usr/bin/env python3
# Browser test of the HTML report reesx writes (report.html).
#
# Usage: python3 tests/browser/check.py [-v] [--screenshots OUTDIR] DIR [DIR...]
#   DIR      an output directory of a reesx run: report.html and some of
#            summary.json, cost.json, uncertainty.json, fit.json
#   --screenshots OUTDIR   also keep the full-page screenshot of each page
#            as OUTDIR/<basename of DIR>.png (docs/ keeps the one of the
#            default config's report)
#   -v       one more line per figure (its box and ink fraction)
#   env CHROMIUM   the browser to use (default: chromium on PATH)
# A DIR with no report.html and no .json, .csv or .state file in it or in a
# subdirectory is not an output directory (a glob "$out"/*/ may catch the
# screenshots' one): it is skipped, saying so.
# Exit 0 when every page passes (or when there is no Chromium: the test is
# then skipped, saying so), 1 otherwise, with "DIR/report.html: what is wrong"
# on stderr for every fault found.
#
# What is checked, for each page, in headless Chromium:
#  1. It loads without errors: no JavaScript error, no failed load, and no
#     reference to anything outside the page.  The report must be
#     self-contained, so the copy that is loaded carries a
#     Content-Security-Policy that allows inline <style> only (and data:
#     URLs for images and fonts): an http(s) or file reference is blocked
#     before any request is made, and reported.  The copy sits alone in an
#     empty temporary directory, so a relative reference fails too, and the
#     host resolver maps every name to nothing, so nothing here ever reaches
#     the network.  The report has no JavaScript of its own; a <script> in it
#     is a fault.
#  2. Every figure is there and drawn: at least one
#     <figure class="rx-figure" id="fig-NAME"> with an inline <svg> and a
#     <figcaption>; each svg box is more than 50 px wide and high; and in a
#     full-page screenshot at least 0.5 % of the pixels of each svg's
#     content box (inside any CSS border) differ from the box's most common
#     colour (its background) by more than a small threshold -- a figure
#     PLplot left empty fails here.
#  3. The key numbers are in the page text (document.body.innerText, not the
#     raw HTML), formatted as the report formats them: from summary.json
#     each products[i].name, purity_pct_REO and recovery_pct ("%.2f") and
#     raffinate_pH ("%.2f"); from cost.json cost_USD_per_kg_REO ("%.2f");
#     (a flowsheet's run: the summary.json of each circuit's folder);
#     from uncertainty.json probability_all_met as a percentage ("%.1f" % (100 p)).
#     A file or key that is not there is not checked; fit.json has no key
#     number of its own.
#
# Why the Chromium command line alone (no WebDriver, no Selenium, no
# DevTools client, no pip package): the test has to run wherever `make test`
# runs, with nothing but python3 and the Debian chromium package.  So the
# page is measured from inside: a copy of report.html gets a small test-only
# <script> right after <head> that records error events (the capture phase
# sees failed loads as well as script errors), CSP violations and the
# resources fetched, and on `load` writes what it found -- errors, page
# height, each figure's svg box in page coordinates, the page text -- as
# JSON into a data- attribute of <html>, which changes no layout.  One
# chromium run with both --dump-dom (the record is read back from the
# serialised DOM) and --screenshot, in a window 1200 px wide and GUESS_H px
# high, gives the record and the pixels of one and the same layout.  The
# command line has no full-page screenshot, so a page taller than GUESS_H
# gets a second run with the window as high as the page; the screenshot
# kept with --screenshots is cut to the page height.  (Measuring in a short
# window first and then shooting at the measured height would cost a second
# chromium start, 2-4 s, on every page; a window taller than the page costs
# chromium no more than one exactly as high.)  The PNG is decoded here: zlib and
# the five PNG row filters, in big-integer bytewise arithmetic where
# possible, so that a page of several thousand rows decodes in well under a
# second.  --force-device-scale-factor=1 makes one CSS pixel one screenshot
# pixel; --no-sandbox is needed as root (CI containers) and harmless for a
# local file; each run gets its own throw-away profile in a temporary
# directory, removed afterwards, as is the copy of the page.

import argparse
import html
import json
import math
import os
import re
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter

WINDOW_W = 1200          # CSS px, the width every page is laid out at
GUESS_H = 8000           # window height of the first run
MAX_H = 30000            # tallest screenshot taken
TIMEOUT = 60             # seconds, every chromium run
MIN_BOX = 50             # px, smallest svg width and height accepted
INK_THRESHOLD = 32       # a pixel is ink if a channel differs by more than this
MIN_INK = 0.005          # fraction of ink pixels an svg box needs
RESULT_ATTR = 'data-rx-test'

CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data:; font-src data:; media-src data:")

# One line, so that line numbers of errors in the page stay those of report.html.
PROBE_JS = r"""
(function () {
  var errors = [], seen = {};
  function add(s) { s = String(s); if (errors.length < 40 && errors.indexOf(s) < 0) errors.push(s); }
  function ref(t, fallback) {
    var u = '', a = '';
    if (t && t.tagName) {
      u = t.currentSrc || t.src || t.href || t.data || '';
      if (u && typeof u === 'object' && 'baseVal' in u) u = u.baseVal;
      a = t.getAttribute('src') || t.getAttribute('href') || t.getAttribute('xlink:href') || t.getAttribute('data') || '';
    }
    u = String(u || fallback || '');
    var shown = (t && t.tagName ? '<' + t.tagName.toLowerCase() + '> ' : '') + (a || u);
    if (seen[u]) return null;
    seen[u] = 1;
    return shown;
  }
  window.addEventListener('error', function (e) {
    var t = e.target;
    if (t && t !== window && t.tagName) {
      var r = ref(t);
      if (r) add('failed to load ' + r);
    } else {
      add('JavaScript error: ' + e.message + (e.lineno ? ' (line ' + e.lineno + ')' : ''));
    }
  }, true);
  window.addEventListener('unhandledrejection', function (e) { add('unhandled promise rejection: ' + e.reason); });
  document.addEventListener('securitypolicyviolation', function (e) {
    var r = ref(e.target, /^[a-z-]+$/.test(e.blockedURI) ? 'a ' + e.blockedURI + ': URL' : e.blockedURI);
    if (r) add('reference outside the page (' + e.effectiveDirective + '): ' + r);
  }, true);
  window.addEventListener('load', function () {
    var d = document.documentElement, b = document.body, sx = window.scrollX, sy = window.scrollY, content_h = 0;
    if (b) {
      var br = b.getBoundingClientRect();
      content_h = Math.max(br.top + sy + b.scrollHeight, br.bottom + sy) + (parseFloat(getComputedStyle(b).marginBottom) || 0);
    }
    performance.getEntriesByType('resource').forEach(function (r) {
      if (!/^(file|data|about|blob):/.test(r.name) && !seen[r.name]) { seen[r.name] = 1; add('request to ' + r.name); }
    });
    var figs = Array.prototype.map.call(document.querySelectorAll('figure.rx-figure'), function (f) {
      var svg = f.querySelector('svg'), cap = f.querySelector('figcaption'), box = null;
      if (svg) {
        var r = svg.getBoundingClientRect(), cs = getComputedStyle(svg);
        var px = function (k) { return parseFloat(cs[k]) || 0; };
        var l = px('borderLeftWidth') + px('paddingLeft'), t = px('borderTopWidth') + px('paddingTop');
        var rt = px('borderRightWidth') + px('paddingRight'), bt = px('borderBottomWidth') + px('paddingBottom');
        box = {x: r.left + sx + l, y: r.top + sy + t, w: r.width - l - rt, h: r.height - t - bt};
      }
      return {id: f.id, box: box, caption: cap ? cap.textContent.trim() : null};
    });
    var scripts = Array.prototype.filter.call(document.scripts, function (s) { return s.id !== 'rx-test-probe'; });
    d.setAttribute('data-rx-' + 'test', JSON.stringify({
      errors: errors, scripts: scripts.length,
      content_h: Math.ceil(content_h), inner_w: window.innerWidth,
      figures: figs, text: b ? b.innerText : ''
    }));
  });
})();
"""
# The charset first: the probe must not push report.html's own <meta charset>
# beyond the 1024 bytes a browser looks in.
PROBE = ('<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="%s">'
         '<script id="rx-test-probe">%s</script>'
         % (CSP, ' '.join(line.strip() for line in PROBE_JS.strip().splitlines())))


class PageError(Exception):
    """The page cannot be checked further (it did not load, chromium failed)."""


# ---------------------------------------------------------------- chromium

def find_chromium():
    """(path, None), or (None, why) when there is none."""
    env = os.environ.get('CHROMIUM')
    if env:
        path = shutil.which(env)
        if not path:
            return None, 'CHROMIUM=%s is not an executable' % env
        return path, None
    for name in ('chromium', 'chromium-browser'):
        path = shutil.which(name)
        if path:
            return path, None
    return None, None


def chromium_cmd(chromium, profile, width, height, url, screenshot=None):
    cmd = [chromium, '--headless=new', '--no-sandbox', '--disable-gpu',
           '--hide-scrollbars', '--run-all-compositor-stages-before-draw',
           '--virtual-time-budget=5000', '--force-device-scale-factor=1',
           '--window-size=%d,%d' % (width, height),
           '--user-data-dir=' + profile, '--no-first-run',
           '--disable-background-networking', '--host-resolver-rules=MAP * ~NOTFOUND']
    if screenshot:
        cmd.append('--screenshot=' + screenshot)
    cmd += ['--dump-dom', url]
    return cmd


def run(cmd):
    """Run cmd in its own process group; (returncode, stdout, stderr).  On a
    timeout the whole group (chromium's children too) is killed."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        p.communicate()
        raise PageError('chromium did not finish within %d s: %s' % (TIMEOUT, shlex.join(cmd)))
    return p.returncode, out.decode('utf-8', 'replace'), err.decode('utf-8', 'replace')


def stderr_tail(err, n=8):
    lines = [l for l in err.splitlines() if l.strip()]
    return '\n'.join('    ' + l[:300] for l in lines[-n:]) or '    (nothing)'


# Headless Chromium now and then never exits on a busy machine (seen once
# in some hundred runs, under make asan): a run that times out is tried
# once more, in a fresh profile, before the page fails.
TRIES = 2


def load(chromium, tmp, width, height, page_url, screenshot=None):
    """One chromium run (tried again after a timeout); the probe's JSON
    record of the page."""
    for attempt in range(TRIES):
        profile = tempfile.mkdtemp(prefix='profile-', dir=tmp)
        cmd = chromium_cmd(chromium, profile, width, height, page_url, screenshot)
        if screenshot and os.path.exists(screenshot):
            os.remove(screenshot)
        try:
            rc, out, err = run(cmd)
            break
        except PageError:
            if attempt + 1 == TRIES:
                raise
            print('browser: %s: chromium did not finish within %d s; trying once more' % (page_url, TIMEOUT),
                  file=sys.stderr)
    m = re.search(r'<html\b[^>]*?\s' + RESULT_ATTR + r'="([^"]*)"', out)
    if not m:
        why = ('chromium exited with status %d' % rc if rc else
               'the page did not reach its load event (no test record in the DOM)')
        raise PageError('%s; command: %s\n  chromium stderr (last lines):\n%s'
                        % (why, shlex.join(cmd), stderr_tail(err)))
    try:
        rec = json.loads(html.unescape(m.group(1)))
    except ValueError as e:
        raise PageError('cannot parse the test record chromium left in the DOM: %s' % e)
    if screenshot and not os.path.isfile(screenshot):
        raise PageError('chromium wrote no screenshot (status %d); command: %s\n'
                        '  chromium stderr (last lines):\n%s' % (rc, shlex.join(cmd), stderr_tail(err)))
    return rec


def lowest_figure(rec):
    """The bottom of the lowest figure's svg, px."""
    return max([int(math.ceil(f['box']['y'] + f['box']['h'])) for f in rec['figures'] if f['box']] + [0])


# ---------------------------------------------------------------- PNG

_masks = {}


def _mask(n):
    m = _masks.get(n)
    if m is None:
        m = _masks[n] = (int.from_bytes(b'\x7f' * n, 'big'), int.from_bytes(b'\x80' * n, 'big'))
    return m


def _add(x, y, n):
    """Bytewise (x + y) mod 256 of two n-byte big-endian integers."""
    lo, hi = _mask(n)
    return ((x & lo) + (y & lo)) ^ ((x ^ y) & hi)


def _unsub(seq, bpp):
    """Undo the Sub filter: running sums with stride bpp, mod 256, by doubling."""
    n = len(seq)
    x = int.from_bytes(seq, 'big')
    k = bpp
    while k < n:
        x = _add(x, x >> (8 * k), n)
        k *= 2
    return x.to_bytes(n, 'big')


def _unup(f, prev):
    n = len(f)
    return _add(int.from_bytes(f, 'big'), int.from_bytes(prev, 'big'), n).to_bytes(n, 'big')


def _unavg(f, prev, bpp):
    r = bytearray(bpp + len(f))          # r[bpp + i] is byte i, r[:bpp] zeros
    for i in range(len(f)):
        r[bpp + i] = (f[i] + ((r[i] + prev[i]) >> 1)) & 255
    return bytes(r[bpp:])


# Bytes where the row above is not flat (b != c), runs closer than 24 bytes merged.
_NOT_FLAT = re.compile(rb'[^\x00](?:\x00{0,23}[^\x00])*')


def _unpaeth(f, prev, bpp):
    """Undo the Paeth filter.  Where the byte above equals the one above-left
    (b == c: most of a screenshot) Paeth predicts the left byte, as Sub does,
    so those stretches are done in bulk; the rest byte by byte."""
    n = len(f)
    r = bytearray(bpp + n)               # r[bpp + i] is byte i, r[:bpp] zeros
    p = bytes(bpp) + prev                # p[bpp + i] is b, p[i] is c
    above_left = int.from_bytes(p[:n], 'big')
    diff = (int.from_bytes(prev, 'big') ^ above_left).to_bytes(n, 'big')

    def flat(s, e):
        if s >= e:
            return
        seg = f[s:e]
        seed = bytes(r[s:s + bpp])       # the pixel left of s
        if not seg.strip(b'\x00'):
            r[bpp + s:bpp + e] = (seed * ((e - s) // bpp + 1))[:e - s]
        else:
            r[bpp + s:bpp + e] = _unsub(seed + seg, bpp)[bpp:]

    pos = 0
    for m in _NOT_FLAT.finditer(diff):
        s, e = m.span()
        flat(pos, s)
        for i in range(bpp + s, bpp + e):
            a = r[i - bpp]
            b = p[i]
            c = p[i - bpp]
            pa = b - c
            pb = a - c
            pc = pa + pb
            if pa < 0:
                pa = -pa
            if pb < 0:
                pb = -pb
            if pc < 0:
                pc = -pc
            if pa <= pb and pa <= pc:
                pr = a
            elif pb <= pc:
                pr = b
            else:
                pr = c
            r[i] = (f[i - bpp] + pr) & 255
        pos = e
    flat(pos, n)
    return bytes(r[bpp:])


def read_png(path, max_rows=None):
    """(width, height, bytes per pixel, rows): 8-bit RGB or RGBA, not
    interlaced, the PNGs Chromium writes.  Only the first max_rows rows are
    unfiltered when max_rows is given."""
    with open(path, 'rb') as fh:
        data = fh.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG file')
    pos, idat, ihdr = 8, [], None
    while pos + 8 <= len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat.append(body)
        elif kind == b'IEND':
            break
    if ihdr is None:
        raise ValueError('PNG without IHDR')
    w, h, depth, ctype, comp, filt, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or comp or filt or interlace:
        raise ValueError('unsupported PNG (bit depth %d, colour type %d, interlace %d): '
                         'only 8-bit RGB or RGBA, not interlaced' % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    raw = zlib.decompress(b''.join(idat))
    if len(raw) < h * (stride + 1):
        raise ValueError('PNG data truncated (%d bytes for %dx%d)' % (len(raw), w, h))
    rows = []
    prev = bytes(stride)
    for y in range(h if max_rows is None else min(h, max_rows)):
        o = y * (stride + 1)
        ft = raw[o]
        f = raw[o + 1:o + 1 + stride]
        if ft == 0:
            cur = f
        elif ft == 1:
            cur = _unsub(f, bpp)
        elif ft == 2:
            cur = _unup(f, prev)
        elif ft == 3:
            cur = _unavg(f, prev, bpp)
        elif ft == 4:
            cur = _unpaeth(f, prev, bpp)
        else:
            raise ValueError('bad PNG filter type %d in row %d' % (ft, y))
        rows.append(cur)
        prev = cur
    return w, h, bpp, rows


def crop_png(src, dst, height):
    """Copy the PNG src to dst, cut to its first height rows.  The filtered
    rows of a PNG depend only on rows above them, so no decoding is needed."""
    with open(src, 'rb') as fh:
        data = fh.read()
    pos, idat, ihdr = 8, [], None
    while pos + 8 <= len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        if kind == b'IHDR':
            ihdr = data[pos + 8:pos + 8 + n]
        elif kind == b'IDAT':
            idat.append(data[pos + 8:pos + 8 + n])
        pos += 12 + n
    if data[:8] != b'\x89PNG\r\n\x1a\n' or ihdr is None:
        raise ValueError('not a PNG file')
    w, h, depth, ctype = struct.unpack('>IIBB', ihdr[:10])
    if height >= h:
        shutil.copyfile(src, dst)
        return
    if depth != 8 or ctype not in (2, 6) or ihdr[12]:
        raise ValueError('unsupported PNG')
    stride = 1 + w * (3 if ctype == 2 else 4)
    raw = zlib.decompress(b''.join(idat))[:height * stride]

    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))
    with open(dst, 'wb') as fh:
        fh.write(data[:8] + chunk(b'IHDR', struct.pack('>II', w, height) + ihdr[8:]) +
                 chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


def ink_fraction(rows, bpp, x0, y0, x1, y1):
    """(fraction of the pixels of the box [x0,x1)x[y0,y1) that differ from
    its most common colour by more than INK_THRESHOLD in a channel, that
    colour)."""
    box = b''.join(rows[y][x0 * bpp:x1 * bpp] for y in range(y0, y1))
    chans = [box[k::bpp] for k in range(bpp)]
    npix = len(chans[0])
    # The most common colour, from every 7th pixel (a white or grey ground
    # covers most of a plot; exactness is not needed to find it).
    sample = Counter(zip(*[c[::7] for c in chans]))
    bg = sample.most_common(1)[0][0]
    ink = 0
    for c, v in zip(chans, bg):
        table = bytes(1 if abs(i - v) > INK_THRESHOLD else 0 for i in range(256))
        ink |= int.from_bytes(c.translate(table), 'big')
    return bin(ink).count('1') / npix, bg


# ---------------------------------------------------------------- key numbers

def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def key_numbers(d, faults):
    """[(what, value shown)]: the numbers and names the page text must hold."""
    want = []

    def read(name):
        path = os.path.join(d, name)
        if not os.path.isfile(path):
            return None
        try:
            with open(path, encoding='utf-8') as fh:
                return json.load(fh)
        except (OSError, ValueError) as e:
            faults.append('%s: cannot read it to check the page: %s' % (path, e))
            return None

    # A circuit's summary.json; a flowsheet's run has one per circuit folder.
    summaries = ['summary.json']
    if not os.path.isfile(os.path.join(d, 'summary.json')):
        summaries = sorted(os.path.join(e, 'summary.json') for e in os.listdir(d)
                           if os.path.isfile(os.path.join(d, e, 'summary.json')))
    for name in summaries:
        s = read(name)
        if not isinstance(s, dict):
            continue
        products = s.get('products')
        for i, p in enumerate(products if isinstance(products, list) else []):
            if not isinstance(p, dict):
                continue
            if isinstance(p.get('name'), str) and p['name'].strip():
                want.append(('%s products[%d].name' % (name, i), p['name'].strip()))
            for k in ('purity_pct_REO', 'recovery_pct'):
                if is_num(p.get(k)):
                    want.append(('%s products[%d].%s = %r' % (name, i, k, p[k]), '%.2f' % p[k]))
        if is_num(s.get('raffinate_pH')):
            want.append(('%s raffinate_pH = %r' % (name, s['raffinate_pH']), '%.2f' % s['raffinate_pH']))
    c = read('cost.json')
    if isinstance(c, dict) and is_num(c.get('cost_USD_per_kg_REO')):
        v = c['cost_USD_per_kg_REO']
        want.append(('cost.json cost_USD_per_kg_REO = %r' % v, '%.2f' % v))
    u = read('uncertainty.json')
    if isinstance(u, dict) and is_num(u.get('probability_all_met')):
        v = u['probability_all_met']
        want.append(('uncertainty.json probability_all_met = %r' % v, '%.1f' % (100 * v)))
    return want


def text_has(text, shown):
    """shown in the text; a number only as a whole number ("1.61" is not in
    "11.61" nor in "1.615")."""
    if not re.fullmatch(r'-?\d+(\.\d+)?', shown):
        return ' '.join(shown.split()) in ' '.join(text.split())
    return re.search(r'(?<![\d.])' + re.escape(shown) + r'(?!\d)', text) is not None


# ---------------------------------------------------------------- one page

def run_outputs(d):
    """The outputs of a reesx run in d or in its subdirectories (one per
    product of a plant), as paths relative to d."""
    found = []
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if os.path.isdir(path):
            found += [os.path.join(name, f) for f in sorted(os.listdir(path))
                      if f.endswith(('.json', '.csv', '.state'))]
        elif name.endswith(('.json', '.csv', '.state')):
            found.insert(0, name)
    return found


def check_page(chromium, d, shots, verbose):
    """(faults, success line, detail lines) of the page of directory d."""
    started = time.monotonic()
    report = os.path.join(d, 'report.html')
    faults = []
    if not os.path.isdir(d):
        return ['no such directory %s' % d], None, []
    if not os.path.isfile(report):
        outputs = run_outputs(d)
        if outputs:
            return ['missing, though %s holds outputs of a run (%s)' % (d, ', '.join(outputs[:4]))], None, []
        return [], None, []      # not an output directory (say, the screenshots)
    with open(report, 'rb') as fh:
        raw = fh.read()
    try:
        page = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        faults.append('not UTF-8 (%s)' % e)
        page = raw.decode('utf-8', 'replace')
    m = (re.search(r'<head(?=[\s>/])[^>]*>', page, re.I) or
         re.search(r'<html(?=[\s>/])[^>]*>', page, re.I) or
         re.search(r'<!doctype[^>]*>', page, re.I))
    at = m.end() if m else 0
    probed = page[:at] + PROBE + page[at:]

    tmp = tempfile.mkdtemp(prefix='rx-browser-')
    try:
        site = os.path.join(tmp, 'page')
        os.mkdir(site)
        copy = os.path.join(site, 'report.html')
        with open(copy, 'w', encoding='utf-8') as fh:
            fh.write(probed)
        url = 'file://' + copy
        shot = os.path.join(tmp, 'page.png')
        # One run when the page fits in a GUESS_H high window; a taller page
        # gets a second run with the window as high as the page.
        try:
            rec = load(chromium, tmp, WINDOW_W, GUESS_H, url, screenshot=shot)
            page_h = max(rec['content_h'], lowest_figure(rec), 1)
            runs = 1
            if page_h > GUESS_H:
                rec = load(chromium, tmp, WINDOW_W, min(page_h, MAX_H), url, screenshot=shot)
                page_h = max(rec['content_h'], lowest_figure(rec), 1)
                runs = 2
        except PageError as e:
            return faults + [str(e)], None, []
        faults += rec['errors']
        if rec['scripts']:
            faults.append('has %d <script> element(s); the report must carry no JavaScript'
                          % rec['scripts'])
        if page_h > MAX_H:
            faults.append('page is %d px high; only its first %d px are checked' % (page_h, MAX_H))
        if shots:
            name = os.path.basename(os.path.abspath(d)) or 'report'
            try:
                crop_png(shot, os.path.join(shots, name + '.png'), page_h)
            except (OSError, ValueError, zlib.error) as e:
                faults.append('cannot write its screenshot to %s: %s' % (shots, e))

        figs = rec['figures']
        if not figs:
            faults.append('no figure (<figure class="rx-figure"> with an inline <svg>)')
        try:
            img_w, img_h, bpp, rows = read_png(shot, max_rows=lowest_figure(rec) + 1)
        except (OSError, ValueError, zlib.error) as e:
            return faults + ['cannot decode chromium\'s screenshot: %s' % e], None, []
        scale = img_w / float(rec['inner_w'] or WINDOW_W)

        seen, inks, details = set(), [], []
        for n, f in enumerate(figs):
            name = f['id'] or 'figure %d (no id)' % (n + 1)
            if not re.fullmatch(r'fig-[A-Za-z0-9_.:-]+', f['id'] or ''):
                faults.append('%s: id should be "fig-NAME"' % name)
            elif f['id'] in seen:
                faults.append('%s: id used by more than one figure' % name)
            seen.add(f['id'])
            if not f['caption']:
                faults.append('%s: no <figcaption> or an empty one' % name)
            b = f['box']
            if not b:
                faults.append('%s: no inline <svg>' % name)
                continue
            if b['w'] <= MIN_BOX or b['h'] <= MIN_BOX:
                faults.append('%s: svg is %.0fx%.0f px, not more than %dx%d'
                              % (name, b['w'], b['h'], MIN_BOX, MIN_BOX))
                continue
            if b['x'] < 0 or b['x'] + b['w'] > WINDOW_W + 0.5:
                faults.append('%s: svg spans x = %.0f..%.0f px, outside the %d px wide window'
                              % (name, b['x'], b['x'] + b['w'], WINDOW_W))
            # The svg's content box (its border, say a frame the page's CSS
            # draws, is not the figure), less a pixel of antialiasing all round.
            x0 = max(0, int(math.ceil(b['x'] * scale)) + 1)
            y0 = max(0, int(math.ceil(b['y'] * scale)) + 1)
            x1 = min(img_w, int(math.floor((b['x'] + b['w']) * scale)) - 1)
            y1 = min(len(rows), int(math.floor((b['y'] + b['h']) * scale)) - 1)
            if x1 - x0 < 1 or y1 - y0 < 1:
                faults.append('%s: svg box (%.0f, %.0f, %.0fx%.0f) is outside the %dx%d screenshot'
                              % (name, b['x'], b['y'], b['w'], b['h'], img_w, img_h))
                continue
            ink, bg = ink_fraction(rows, bpp, x0, y0, x1, y1)
            inks.append(ink)
            detail = ('%s: svg %dx%d px at (%d, %d), %.2f %% of its pixels differ from its background #%s'
                      % (name, x1 - x0, y1 - y0, x0, y0, 100 * ink, ''.join('%02x' % v for v in bg[:3])))
            details.append(detail)
            if ink < MIN_INK:
                faults.append('%s looks empty: only %.2f %% of its pixels differ from its background '
                              '#%s (at least %.1f %% needed)'
                              % (name, 100 * ink, ''.join('%02x' % v for v in bg[:3]), 100 * MIN_INK))

        want = key_numbers(d, faults)
        text = rec['text']
        for what, shown in want:
            if not text_has(text, shown):
                faults.append('%s: "%s" is not in the page text' % (what, shown))

        ok = ('%d figure%s (ink %s), %dx%d px, %d key number%s found, loaded without errors '
              '[%d chromium run%s, %.1f s]'
              % (len(figs), '' if len(figs) == 1 else 's',
                 ('%.1f-%.1f %%' % (100 * min(inks), 100 * max(inks))) if inks else '-',
                 img_w, min(page_h, img_h), len(want), '' if len(want) == 1 else 's',
                 runs, '' if runs == 1 else 's', time.monotonic() - started))
        return faults, ok, details if verbose else []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description='Check reesx report.html pages in headless Chromium.')
    ap.add_argument('--screenshots', metavar='OUTDIR',
                    help='also write each full-page screenshot to OUTDIR/<basename of DIR>.png')
    ap.add_argument('-v', '--verbose', action='store_true', help='one line per figure too')
    ap.add_argument('dirs', nargs='+', metavar='DIR', help='output directory of a reesx run')
    args = ap.parse_args()

    chromium, why = find_chromium()
    if not chromium:
        if why:
            print('browser: %s' % why, file=sys.stderr)
            return 1
        print('browser: skipped, no chromium found (install the chromium package or set CHROMIUM); '
              '%d page(s) not checked' % len(args.dirs))
        return 0
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)

    failed = checked = 0
    for d in args.dirs:
        page = os.path.join(d, 'report.html')
        try:
            faults, ok, details = check_page(chromium, d, args.screenshots, args.verbose)
        except OSError as e:
            faults, ok, details = ['%s' % e], None, []
        if ok is not None or faults:
            checked += 1
        if faults:
            failed += 1
            for f in faults:
                print('%s: %s' % (page, f), file=sys.stderr)
        elif ok is None:
            print('browser: %s: skipped, no report.html and no .json or .csv output of a run' % d)
        else:
            print('browser: %s: %s' % (page, ok))
        for line in details:
            print('    %s' % line)
        sys.stdout.flush()
        sys.stderr.flush()
    if not checked:
        print('browser: no report.html in %s' % ' '.join(args.dirs), file=sys.stderr)
        return 1
    if failed:
        print('browser: %d of %d page(s) failed' % (failed, checked), file=sys.stderr)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
