#!/usr/bin/env python3
"""Rebuild eval/gtd/cache/gtd_rows.csv: Global Terrorism Database (GTD) rows with text summaries.

Uses only the Python 3 standard library. Reads data files from two public GitHub
repositories (local git directories, read with `git show`). No code comes from
those repositories; this script only parses their data files.

Usage
-----
  python3 gtd_rows.py --sqlproj GITDIR --globalterrorism GITDIR -o gtd_rows.csv
      [--countries all | NAME,NAME,... | described]

Sources (commit ids are pinned; the script checks the blob ids)
-----------------------------------------------------------------
1. SQLGROUPPROJ/SQLPROJ (MySQL 8 dumps from a student project; GTD rows with
   eventid 201602280030 .. 201812310034, i.e. 2016-02-28 .. 2018-12-31, 31,954
   events, the tail of a GTD release that covers 2018, probably 0919dist).
   a) commit 9aa31f6298da6aa9e026e4de3ad40149b3a1d8d4 (2020-11-18), the
      "split" dumps GroupProj_<Table>.sql, one table per group of GTD fields
      and NO key column except in GroupProj_id.sql (eventid, record_id=1..n):
        id(eventid), Eventoccured(iyear,imonth,iday,approxdate),
        Country(country,country_txt), Region(region,region_txt),
        CityState(provstate,city), Criteria(crit1..3),
        deathtypeandcount(doubtterr,multiple,success,suicide),
        AttackType, TargetType(targtype1,targtype1_txt,target1), Corp(corp1,..),
        GnameandMotive(gname,motive), Weapon(weaptype1..weapdetail),
        PropDamage(property,propextent,propextent_txt,propvalue,propcomment),
        HostKid(ishostkid,..)                       -> 31,954 rows each
        Location(latitude,longitude,specificity,vicinity,location) 31,821 rows
        Natlty(natlty1,natlty1_txt)                                31,497 rows
        TargetSubType(targsubtype1,targsubtype1_txt)               29,294 rows
        NoKilled(nkill,nkillus,nkillter)                           29,568 rows
        NoWounded(nwound,nwoundus,nwoundte)                        28,260 rows
      (GroupProj_Summary.sql of that commit is not in the snapshot.)
      The short tables lost the rows whose numeric cells were empty when they
      were imported, so joining them by row order MISALIGNS them (e.g. NoKilled
      is shifted from row 15 on; 2,386 of its rows are missing by the end).
   b) commit a2b05144714910255add51d335d2ec79e0a5e034 (HEAD, 2020-12-04),
      GTD-Source/FinalProj_Updated.sql: per-country tables Afghanistan ..
      Chili (20 countries, A-C only; 4,426 rows) keyed by eventid, with
      summary (absent in the Bangladesh table), nkill, nkillus, nkillter,
      nwound, natlty1, location, corp1 and other fields.
2. marco2012/GlobalTerrorism (Kaggle GTD extract, release through 2017),
   samples with eventid and summary:
      a11a5abea244f8c39846a65fc23e59a526e90aaf static/data/terrorism.csv          (blob 171bc794)
      578f2fee38a7b072a33fdffd51a72d636cbdb2db static/data/terrorism_old_less_data.csv (blob 733f9797)
      d71348d420a57a11c9e7346d2aa5c2b7328abb42 static/data/terrorism_2000.csv     (blob e284380a)
   (The newest static/data/terrorism.csv blob is not in the snapshot.)

Join
----
* Rows = events of the SQLPROJ id table (so 2016-02-28 .. 2018-12-31) that
  have a non-empty summary, from the per-country tables (by eventid) or from
  the marco2012 samples (by eventid); deduplicated by eventid. Marco rows before
  2016-02-28 are not in the dump (no coded fields) and are left out.
* Full-length split tables are joined to id by row order. This is checked
  against the per-country tables by eventid (country, region, provstate, city,
  iyear, imonth, attack, target, gname, weapon, success, suicide, ishostkid,
  propcomment; 0 mismatches expected) and against marco2012 country_txt.
* Short split tables are re-aligned to the id table with a banded dynamic
  program (the short table is an order-preserving subsequence of the id rows;
  the program chooses which id rows were dropped). Evidence, by table:
    NoKilled  : per-country (nkill,nkillus,nkillter) by eventid; marco nkill.
    NoWounded : per-country nwound; marco nwound.
    Location  : marco latitude/longitude (tolerance for re-geocoding);
                per-country location text; rows with provstate 'Unknown' are
                the ones without coordinates (dropped at import).
    Natlty    : per-country natlty1_txt; marco natlty1_txt.
    TargetSubType: the subtype must belong to the row's targtype1 (mapping
                learned from marco rows and then from the alignment); marco
                targsubtype1_txt.
  A realigned value is written only when every minimum-cost alignment gives the
  same value for that row; otherwise the cell is left empty.
* Value priority: per-country table (same release, keyed by eventid) >
  realigned split table > marco2012 value (nkill/nwound only, used when the
  realigned value is undetermined; marco comes from an older release).
* SQL text cells that contain doubled quotes (a CSV-import artefact, e.g.
  'idiots"" during the attack."') are repaired.

Checks (printed to stderr)
--------------------------
* blob ids of all inputs; row counts of all tables.
* row-order join of the full-length tables vs per-country tables / marco.
* alignment cost and the number of undetermined cells per realigned table.
* summary vs coded fields: date prefix "MM/DD/YYYY:" vs iyear/imonth/iday,
  country name, provstate/city named in the summary.
* --spotcheck N prints N random rows (seed 20) for reading by eye.

Output columns (GTD codebook names): see COLUMNS below. nkillter / nwoundte
are filled where they could be determined (per-country nkillter; realigned
NoKilled / NoWounded) and empty otherwise.
"""
import argparse
import bisect
import collections
import csv
import io
import random
import re
import subprocess
import sys

SQLPROJ_SPLIT_COMMIT = '9aa31f6298da6aa9e026e4de3ad40149b3a1d8d4'
SQLPROJ_HEAD_COMMIT = 'a2b05144714910255add51d335d2ec79e0a5e034'
SQLPROJ_PERCOUNTRY = (SQLPROJ_HEAD_COMMIT, 'GTD-Source/FinalProj_Updated.sql',
                      'effd2f21ac3bf978cb186216b6c74b813d8a4f4f')
SPLIT_TABLES = ['id', 'Eventoccured', 'Country', 'Region', 'CityState', 'Criteria',
                'deathtypeandcount', 'AttackType', 'TargetType', 'TargetSubType', 'Corp',
                'GnameandMotive', 'Weapon', 'PropDamage', 'HostKid', 'Location', 'Natlty',
                'NoKilled', 'NoWounded']
MARCO_FILES = [  # (name, commit, path, blob)
    ('733f', '578f2fee38a7b072a33fdffd51a72d636cbdb2db',
     'static/data/terrorism_old_less_data.csv', '733f9797823b9730b14cec373d6d1ef37941142f'),
    ('171b', 'a11a5abea244f8c39846a65fc23e59a526e90aaf',
     'static/data/terrorism.csv', '171bc79481ea23bdbc3be19be1eb8cc261c4edae'),
    ('e284', 'd71348d420a57a11c9e7346d2aa5c2b7328abb42',
     'static/data/terrorism_2000.csv', 'e284380a410de7528933ba733abb9a6c3c153607'),
]
COLUMNS = ['eventid', 'iyear', 'imonth', 'iday', 'approxdate', 'country', 'country_txt',
           'region', 'region_txt', 'provstate', 'city', 'latitude', 'longitude',
           'specificity', 'vicinity', 'location', 'summary', 'crit1', 'crit2', 'crit3',
           'doubtterr', 'multiple', 'success', 'suicide', 'attacktype1', 'attacktype1_txt',
           'targtype1', 'targtype1_txt', 'targsubtype1', 'targsubtype1_txt', 'corp1',
           'target1', 'natlty1', 'natlty1_txt', 'gname', 'motive', 'weaptype1',
           'weaptype1_txt', 'weapsubtype1', 'weapsubtype1_txt', 'weaptype2', 'weaptype2_txt',
           'weapsubtype2', 'weapsubtype2_txt', 'weapdetail', 'nkill', 'nkillus', 'nkillter',
           'nwound', 'nwoundus', 'nwoundte', 'property', 'propextent', 'propextent_txt',
           'propvalue', 'propcomment', 'ishostkid']
# split table -> output column for each of its columns (None = not written)
SPLIT_MAP = {
    'Eventoccured': ['iyear', 'imonth', 'iday', 'approxdate'],
    'Country': ['country', 'country_txt'],
    'Region': ['region', 'region_txt'],
    'CityState': ['provstate', 'city'],
    'Criteria': ['crit1', 'crit2', 'crit3'],
    'deathtypeandcount': ['doubtterr', 'multiple', 'success', 'suicide'],
    'AttackType': ['attacktype1', 'attacktype1_txt'],
    'TargetType': ['targtype1', 'targtype1_txt', 'target1'],
    'Corp': ['corp1', None, None],
    'GnameandMotive': ['gname', 'motive'],
    'Weapon': ['weaptype1', 'weaptype1_txt', 'weapsubtype1', 'weapsubtype1_txt', 'weaptype2',
               'weaptype2_txt', 'weapsubtype2', 'weapsubtype2_txt', 'weapdetail'],
    'PropDamage': ['property', 'propextent', 'propextent_txt', 'propvalue', 'propcomment'],
    'HostKid': ['ishostkid', None],
    'Location': ['latitude', 'longitude', 'specificity', 'vicinity', 'location'],
    'Natlty': ['natlty1', 'natlty1_txt'],
    'TargetSubType': ['targsubtype1', 'targsubtype1_txt'],
    'NoKilled': ['nkill', 'nkillus', 'nkillter'],
    'NoWounded': ['nwound', 'nwoundus', 'nwoundte'],
}
SHORT_TABLES = ['Location', 'Natlty', 'TargetSubType', 'NoKilled', 'NoWounded']
# per-country column -> output column (values keyed by eventid, preferred)
PERCOUNTRY_MAP = {'location': 'location', 'summary': 'summary', 'corp1': 'corp1',
                  'natlty1_id': 'natlty1', 'natlty1_txt': 'natlty1_txt', 'nkill': 'nkill',
                  'nkillus': 'nkillus', 'nkillter': 'nkillter', 'nwound': 'nwound'}
# checked (per-country column, output column) pairs for the row-order join
JOIN_CHECKS = [('iyear', 'iyear'), ('imonth', 'imonth'), ('country_id', 'country'),
               ('country_txt', 'country_txt'), ('region_txt', 'region_txt'),
               ('provstate', 'provstate'), ('city', 'city'), ('success', 'success'),
               ('suicide', 'suicide'), ('attacktype1_txt', 'attacktype1_txt'),
               ('targtype1_txt', 'targtype1_txt'), ('target1', 'target1'), ('gname', 'gname'),
               ('weaptype1_txt', 'weaptype1_txt'), ('weapdetail', 'weapdetail'),
               ('propcomment', 'propcomment'), ('ishostkid', 'ishostkid'),
               ('corp1', 'corp1')]
DESCRIBED_COUNTRIES = ['Afghanistan', 'Iraq', 'India', 'Pakistan', 'Turkey', 'Syria',
                       'Kazakhstan', 'Kyrgyzstan', 'Tajikistan', 'Turkmenistan', 'Uzbekistan']
DESCRIBED_REGIONS = ['Western Europe', 'Eastern Europe']


def log(*a):
    print(*a, file=sys.stderr)


# ---------------------------------------------------------------- reading --
def git_blob(gitdir, commit, path, expect=None):
    if expect is not None:
        got = subprocess.run(['git', '--git-dir', gitdir, 'rev-parse', '%s:%s' % (commit, path)],
                             check=True, capture_output=True, text=True).stdout.strip()
        if got != expect:
            sys.exit('unexpected blob for %s:%s: %s (expected %s)' % (commit, path, got, expect))
    out = subprocess.run(['git', '--git-dir', gitdir, 'show', '%s:%s' % (commit, path)],
                         check=True, capture_output=True).stdout
    return out.decode('utf-8')


_ESC = {'0': '\0', 'n': '\n', 'r': '\r', 't': '\t', 'Z': '\x1a', 'b': '\b'}
_TOKEN = re.compile(r"[^,)]*")


def parse_values(s, i):
    """Parse a MySQL extended INSERT value list starting at s[i]; return rows."""
    rows = []
    n = len(s)
    while i < n:
        while s[i] in ' ,\n':
            i += 1
        if s[i] == ';':
            return rows
        if s[i] != '(':
            raise ValueError('bad INSERT near %r' % s[i - 20:i + 20])
        i += 1
        row = []
        while True:
            if s[i] == "'":
                i += 1
                buf = []
                while True:
                    q = s.find("'", i)
                    b = s.find('\\', i)
                    if b != -1 and b < q:
                        buf.append(s[i:b])
                        buf.append(_ESC.get(s[b + 1], s[b + 1]))
                        i = b + 2
                        continue
                    buf.append(s[i:q])
                    i = q + 1
                    if i < n and s[i] == "'":
                        buf.append("'")
                        i += 1
                        continue
                    break
                row.append(''.join(buf))
            else:
                m = _TOKEN.match(s, i)
                tok = m.group().strip()
                i = m.end()
                row.append(None if tok == 'NULL' else tok)
            if s[i] == ',':
                i += 1
                continue
            if s[i] == ')':
                i += 1
                break
            raise ValueError('bad value near %r' % s[i - 30:i + 30])
        rows.append(row)
    return rows


def parse_dump(text):
    """Return {table: (columns, rows)} for every CREATE TABLE / INSERT INTO in a dump."""
    cols = {}
    for m in re.finditer(r"CREATE TABLE `([^`]+)` \((.*?)\n\)", text, re.S):
        cols[m.group(1)] = re.findall(r"^\s*`([^`]+)`", m.group(2), re.M)
    data = {}
    for m in re.finditer(r"INSERT INTO `([^`]+)` VALUES ", text):
        data.setdefault(m.group(1), []).extend(parse_values(text, m.end()))
    return {t: (cols[t], data.get(t, [])) for t in cols}


def fix_quotes(v):
    """Repair the doubled-quote artefact of the students' CSV import."""
    if v and '""' in v:
        v = v.replace('""', '"')
        if v.count('"') % 2 == 1 and v.endswith('"'):
            v = v[:-1]
    return v


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


# -------------------------------------------------------------- alignment --
INF = float('inf')


def lnds(points):
    """Longest subsequence of (i, offset) points (sorted by i) with non-decreasing offset."""
    tails, tidx, prev = [], [], [None] * len(points)
    for k, (_, o) in enumerate(points):
        p = bisect.bisect_right(tails, o)
        if p == len(tails):
            tails.append(o)
            tidx.append(k)
        else:
            tails[p] = o
            tidx[p] = k
        prev[k] = tidx[p - 1] if p > 0 else None
    out = []
    k = tidx[-1] if tidx else None
    while k is not None:
        out.append(points[k])
        k = prev[k]
    return out[::-1]


def band_centres(n, D, pts):
    """Offset (dropped rows before row i) interpolated from reliable anchor points."""
    pts = lnds(sorted(pts))
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    c = [0.0] * (n + 1)
    for i in range(n + 1):
        k = bisect.bisect_left(xs, i)
        if not xs:
            c[i] = D * i / n
        elif k == 0:
            c[i] = ys[0] * i / max(xs[0], 1)
        elif k == len(xs):
            c[i] = ys[-1] + (D - ys[-1]) * (i - xs[-1]) / max(n - xs[-1], 1)
        else:
            x0, x1, y0, y1 = xs[k - 1], xs[k], ys[k - 1], ys[k]
            c[i] = y0 + (y1 - y0) * (i - x0) / max(x1 - x0, 1)
    return c


def align(n, S, match_cost, drop_cost, centres, B):
    """Min-cost alignment of short table S (an order-preserving subsequence of the
    n full rows). State d = rows dropped before row i. Row i either matches S[i-d]
    (cost match_cost(i, S[i-d])) or is dropped (cost drop_cost(i)).
    Returns (best, options) where options[i] is the set of choices for row i that
    lie on at least one minimum-cost alignment: ('M', j) or ('X',).
    Also returns whether an optimal choice touched the band edge."""
    m = len(S)
    D = n - m
    lo = [max(0, min(D, int(round(centres[i]))) - B) for i in range(n + 1)]
    hi = [min(D, max(0, int(round(centres[i]))) + B) for i in range(n + 1)]
    lo[0] = 0
    hi[n] = D
    lo[n] = min(lo[n], D)
    F = [None] * (n + 1)
    F[0] = {0: 0.0}
    for i in range(n):
        cur, nxt = F[i], {}
        dc = drop_cost(i)
        l1, h1 = lo[i + 1], hi[i + 1]
        for d, c in cur.items():
            j = i - d
            if 0 <= j < m and l1 <= d <= h1:
                v = c + match_cost(i, S[j])
                if v < nxt.get(d, INF):
                    nxt[d] = v
            if d + 1 <= D and l1 <= d + 1 <= h1:
                v = c + dc
                if v < nxt.get(d + 1, INF):
                    nxt[d + 1] = v
        F[i + 1] = nxt
    if D not in F[n]:
        raise RuntimeError('alignment band too narrow')
    best = F[n][D]
    Bk = {D: 0.0}
    options = [None] * n
    edge = False
    eps = 1e-6
    for i in range(n - 1, -1, -1):
        dc = drop_cost(i)
        cur = {}
        opts = []
        for d, c in F[i].items():
            j = i - d
            v = INF
            if 0 <= j < m and d in Bk:
                mv = match_cost(i, S[j]) + Bk[d]
                v = mv
                if abs(c + mv - best) < eps:
                    opts.append(('M', j))
                    if (d == lo[i] and lo[i] > 0) or (d == hi[i] and hi[i] < D):
                        edge = True
            if d + 1 in Bk:
                xv = dc + Bk[d + 1]
                if abs(c + xv - best) < eps:
                    opts.append(('X',))
                v = min(v, xv)
            if v < INF:
                cur[d] = v
        Bk = cur
        options[i] = opts
        F[i + 1] = None
    return best, options, edge


def unique_points(n, S, D, key_of_row, key_of_s):
    """(i, offset) for rows whose key occurs exactly once in S within the feasible window."""
    idx = collections.defaultdict(list)
    for j, r in enumerate(S):
        k = key_of_s(r)
        if k is not None:
            idx[k].append(j)
    pts = []
    for i, k in key_of_row.items():
        lst = idx.get(k, [])
        a = bisect.bisect_left(lst, i - D)
        b = bisect.bisect_right(lst, i)
        if b - a == 1:
            pts.append((i, i - lst[a]))
    return pts


def run_alignment(name, n, S, mc, dc, pts, B=40):
    D = n - len(S)
    centres = band_centres(n, D, pts)
    while True:
        best, options, edge = align(n, S, mc, dc, centres, B)
        if not edge or B >= 640:
            break
        B *= 2
        log('  %s: optimum touches the band edge, widening to %d' % (name, B))
    log('  %s: %d rows dropped of %d, min cost %.1f, band +-%d' % (name, D, n, best, B))
    return options


def determined(options, S, i):
    """Value tuple of S for row i if all optimal alignments agree, ('X',) if all drop it,
    else None (undetermined)."""
    vals = set()
    for o in options[i]:
        vals.add(('X',) if o[0] == 'X' else tuple(S[o[1]]))
    return vals.pop() if len(vals) == 1 else None


# ------------------------------------------------------------------- main --
def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sqlproj', required=True, help='git dir of SQLGROUPPROJ/SQLPROJ')
    ap.add_argument('--globalterrorism', required=True, help='git dir of marco2012/GlobalTerrorism')
    ap.add_argument('-o', '--output', required=True)
    ap.add_argument('--countries', default='all',
                    help="'all' (default), 'described' (Afghanistan, Iraq, India, Pakistan, "
                         "Turkey, Syria, Central Asian republics and GTD regions Western/Eastern "
                         "Europe), or a comma-separated list of country_txt values")
    ap.add_argument('--spotcheck', type=int, default=0, help='print N random rows')
    ap.add_argument('--no-assailant-counts', action='store_true',
                    help='leave nkillter and nwoundte empty, as in the file the README figures of sessions 2-7 '
                         'came from (amu eval then scores a toll only where the summary does not count '
                         'assailants among the dead or hurt)')
    args = ap.parse_args()

    # ---- SQLPROJ split tables
    log('reading SQLPROJ split tables at %s' % SQLPROJ_SPLIT_COMMIT[:10])
    T = {}
    for t in SPLIT_TABLES:
        text = git_blob(args.sqlproj, SQLPROJ_SPLIT_COMMIT, 'GroupProj_%s.sql' % t)
        cols, rows = parse_dump(text)[t]
        T[t] = [[fix_quotes(v) if isinstance(v, str) else v for v in r] for r in rows]
        log('  %-18s %6d rows %s' % (t, len(rows), cols))
    ids = [r[0] for r in T['id']]
    if [int(r[1]) for r in T['id']] != list(range(1, len(ids) + 1)):
        sys.exit('id.record_id is not 1..n')
    n = len(ids)
    pos = {int(e): i for i, e in enumerate(ids)}
    for t in SPLIT_TABLES:
        if t not in SHORT_TABLES and t != 'id' and len(T[t]) != n:
            sys.exit('table %s has %d rows, expected %d' % (t, len(T[t]), n))

    # ---- SQLPROJ per-country tables
    commit, path, blob = SQLPROJ_PERCOUNTRY
    log('reading %s:%s' % (commit[:10], path))
    PC = {}
    for t, (cols, rows) in parse_dump(git_blob(args.sqlproj, commit, path, blob)).items():
        if 'eventid' not in cols:
            continue
        for r in rows:
            d = {c: (fix_quotes(v) if isinstance(v, str) else v) for c, v in zip(cols, r)}
            d['_table'] = t
            e = int(d['eventid'])
            if e not in pos:
                sys.exit('per-country eventid %s not in id table' % e)
            PC[pos[e]] = d
    log('  per-country rows: %d (%d with a summary column)' %
        (len(PC), sum(1 for d in PC.values() if 'summary' in d)))

    # ---- marco2012 samples
    MC = {}
    outside = collections.Counter()
    for name, commit, path, blob in MARCO_FILES:
        rows = list(csv.DictReader(io.StringIO(git_blob(args.globalterrorism, commit, path, blob))))
        yk = 'iyear' if 'iyear' in rows[0] else 'year'
        k = 0
        for r in rows:
            if r[yk] not in ('2016', '2017', '2018'):
                continue
            e = int(r['eventid'])
            if e not in pos:
                if r['summary'].strip():
                    outside[e] += 1
                continue
            d = MC.setdefault(pos[e], {})
            for f, v in r.items():
                if v != '' and f not in d:
                    d[f] = v
            k += 1
        log('  %s:%s %d rows, %d in 2016-2018 inside the dump' % (commit[:10], path, len(rows), k))
    log('  marco rows 2016-2018 with summary outside the dump (before 2016-02-28), left out: %d'
        % len(outside))

    # ---- assemble full-length columns by row order
    out = [dict(eventid=ids[i]) for i in range(n)]
    for t, names in SPLIT_MAP.items():
        if t in SHORT_TABLES:
            continue
        for i, r in enumerate(T[t]):
            for c, v in zip(names, r):
                if c:
                    out[i][c] = v

    # ---- check the row-order join
    mism = collections.Counter()
    for i, d in PC.items():
        for pc_col, col in JOIN_CHECKS:
            if pc_col in d and (d[pc_col] or '') != (out[i].get(col) or ''):
                mism[col] += 1
    for i, d in MC.items():
        if d.get('country_txt') != out[i]['country_txt']:
            mism['country_txt(marco)'] += 1
        if d.get('city') and d['city'] != out[i]['city']:
            mism['city(marco)'] += 1
    log('row-order join of full-length tables: %d per-country rows, %d marco rows checked; '
        'mismatches %s' % (len(PC), len(MC), dict(mism) or 'none'))

    country = [r['country_txt'] for r in out]
    prov = [r['provstate'] for r in out]
    ttype = [r['targtype1_txt'] for r in out]
    undet = collections.Counter()

    # ---- NoKilled
    log('aligning short tables')
    S = T['NoKilled']

    def mc(i, s):
        p = PC.get(i)
        if p is not None:
            if p['nkill'] == '':
                return 3
            return 0 if (s[0], s[1], s[2]) == (p['nkill'], p['nkillus'], p['nkillter']) else 3
        m = MC.get(i)
        if m is not None and 'nkill' in m:
            return 0 if num(s[0]) == num(m['nkill']) else 1
        return 0

    def dc(i):
        p = PC.get(i)
        if p is not None:
            return 0 if p['nkill'] == '' else 3
        return 0.5 if (i in MC and 'nkill' in MC[i]) else 0
    keys = {i: (p['nkill'], p['nkillus'], p['nkillter']) for i, p in PC.items()}
    opts = run_alignment('NoKilled', n, S, mc, dc,
                         unique_points(n, S, n - len(S), keys, tuple))
    aligned = {'NoKilled': (S, opts)}

    # ---- NoWounded
    S = T['NoWounded']

    def mc(i, s):
        p = PC.get(i)
        if p is not None:
            return 0 if (p['nwound'] != '' and s[0] == p['nwound']) else 3
        m = MC.get(i)
        if m is not None and 'nwound' in m:
            return 0 if num(s[0]) == num(m['nwound']) else 1
        return 0

    def dc(i):
        p = PC.get(i)
        if p is not None:   # nwoundus/nwoundte unknown: the row may have been dropped
            return 0 if p['nwound'] == '' else 0.5
        return 0.5 if (i in MC and 'nwound' in MC[i]) else 0
    keys = {i: p['nwound'] for i, p in PC.items() if p['nwound'] != ''}
    opts = run_alignment('NoWounded', n, S, mc, dc,
                         unique_points(n, S, n - len(S), keys, lambda r: r[0]), B=60)
    aligned['NoWounded'] = (S, opts)

    # ---- Location
    S = T['Location']

    def latkey(la, lo):
        return (round(float(la), 4), round(float(lo), 4))

    def mc(i, s):
        c = 0
        m = MC.get(i)
        if m is not None and 'latitude' in m:
            dist = max(abs(float(s[0]) - float(m['latitude'])),
                       abs(float(s[1]) - float(m['longitude'])))
            c += 0 if dist < 0.05 else (0.5 if dist < 0.5 else 2)
        p = PC.get(i)
        if p is not None and s[4] != p['location'] and (s[4] or p['location']):
            c += 2
        return c

    def dc(i):
        return 0 if prov[i] == 'Unknown' else 3
    keys = {i: latkey(m['latitude'], m['longitude']) for i, m in MC.items() if 'latitude' in m}
    opts = run_alignment('Location', n, S, mc, dc,
                         unique_points(n, S, n - len(S), keys, lambda r: latkey(r[0], r[1])), B=30)
    aligned['Location'] = (S, opts)

    # ---- Natlty
    S = T['Natlty']

    def mc(i, s):
        p = PC.get(i)
        if p is not None:
            return 0 if s[1] == p['natlty1_txt'] else 3
        m = MC.get(i)
        if m is not None and 'natlty1_txt' in m:
            return 0 if s[1] == m['natlty1_txt'] else 2
        return 0

    def dc(i):
        p = PC.get(i)
        if p is not None:
            return 0 if p['natlty1_txt'] == '' else 3
        return 1 if (i in MC and 'natlty1_txt' in MC[i]) else 0
    keys = {i: p['natlty1_txt'] for i, p in PC.items()}
    opts = run_alignment('Natlty', n, S, mc, dc,
                         unique_points(n, S, n - len(S), keys, lambda r: r[1]))
    aligned['Natlty'] = (S, opts)

    # ---- TargetSubType (subtype must belong to the row's target type)
    S = T['TargetSubType']
    sub2type = {}
    pairs = collections.defaultdict(collections.Counter)
    for m in MC.values():
        if m.get('targsubtype1_txt') and m.get('targtype1_txt'):
            pairs[m['targsubtype1_txt']][m['targtype1_txt']] += 1
    # the 171b sample also holds older years: use all of its rows for the mapping
    name, commit, path, blob = MARCO_FILES[1]
    for r in csv.DictReader(io.StringIO(git_blob(args.globalterrorism, commit, path, blob))):
        if r.get('targsubtype1_txt') and r.get('targtype1_txt'):
            pairs[r['targsubtype1_txt']][r['targtype1_txt']] += 1
    for k, v in pairs.items():
        sub2type[k] = v.most_common(1)[0][0]
    anchors = {i: m['targsubtype1_txt'] for i, m in MC.items() if m.get('targsubtype1_txt')}
    # rough centres: greedy walk matching type-consistent subtypes
    g, j = [], 0
    for i in range(n):
        if j < len(S) and ttype[i] != 'Unknown' and sub2type.get(S[j][1], ttype[i]) == ttype[i]:
            g.append((i, i - j))
            j += 1
    for rnd in range(2):
        def mc(i, s, _map=dict(sub2type)):
            c = 0
            a = anchors.get(i)
            if a is not None and s[1] != a:
                c += 2
            t = _map.get(s[1])
            return c + ((0 if t == ttype[i] else 3) if t else 0.5)

        def dc(i):
            return 0 if ttype[i] == 'Unknown' else 1
        opts = run_alignment('TargetSubType(round %d)' % (rnd + 1), n, S, mc, dc, g[::50], B=60)
        seen = collections.defaultdict(collections.Counter)
        for i in range(n):
            if len(opts[i]) == 1 and opts[i][0][0] == 'M':
                seen[S[opts[i][0][1]][1]][ttype[i]] += 1
        for k, v in seen.items():
            tot = sum(v.values())
            if k not in sub2type and tot >= 3 and v.most_common(1)[0][1] >= 0.9 * tot:
                sub2type[k] = v.most_common(1)[0][0]
    aligned['TargetSubType'] = (S, opts)

    # ---- select rows
    rows = []
    for i in range(n):
        p, m = PC.get(i), MC.get(i)
        summ = ''
        src = ''
        if p is not None and (p.get('summary') or '').strip():
            summ, src = p['summary'], 'sqlproj:' + p['_table']
        elif m is not None and m.get('summary', '').strip():
            summ, src = m['summary'], 'marco'
        if not summ.strip() or out[i]['iyear'] not in ('2016', '2017', '2018'):
            continue
        rows.append((i, summ, src))

    # ---- fill values for the selected rows
    final = []
    for i, summ, src in rows:
        r = dict(out[i])
        r['summary'] = summ.strip()
        for t in SHORT_TABLES:
            S, opts = aligned[t]
            v = determined(opts, S, i)
            names = SPLIT_MAP[t]
            for k, c in enumerate(names):
                if v is None or v == ('X',):
                    r.setdefault(c, '')
                else:
                    r[c] = v[k]
        p = PC.get(i)
        if p is not None:
            for pc_col, col in PERCOUNTRY_MAP.items():
                if pc_col in p and pc_col != 'summary':
                    r[col] = p[pc_col] if p[pc_col] is not None else ''
            # per-country rows carry nwound but not nwoundus/nwoundte: keep the
            # realigned ones only when they come from a row with the same nwound
            S, opts = aligned['NoWounded']
            v = determined(opts, S, i)
            if v is None or v == ('X',) or v[0] != p['nwound']:
                r['nwoundus'] = r['nwoundte'] = ''
        m = MC.get(i)
        if m is not None:
            for c in ('nkill', 'nwound'):
                if (r.get(c) or '') == '' and c in m:
                    r[c] = str(int(float(m[c])))
                    undet['%s from marco' % c] += 1
            for c in ('nkill', 'nwound'):
                if c in m and (r.get(c) or '') != '' and num(r[c]) != num(m[c]):
                    undet['%s differs from marco (dump value kept)' % c] += 1
        final.append(r)

    # ---- country filter
    if args.countries != 'all':
        if args.countries == 'described':
            keep = lambda r: (r['country_txt'] in DESCRIBED_COUNTRIES or
                              r['region_txt'] in DESCRIBED_REGIONS)
        else:
            wanted = set(x.strip() for x in args.countries.split(','))
            keep = lambda r: r['country_txt'] in wanted
        final = [r for r in final if keep(r)]

    # ---- consistency checks: summary vs coded fields
    chk = collections.Counter()
    for r in final:
        s = r['summary']
        mm = re.match(r'\s*(\d{1,2})/(\d{1,2})/(\d{4})', s)
        if mm:
            sd = (int(mm.group(3)), int(mm.group(1)), int(mm.group(2)))
            cd = (int(r['iyear']), int(r['imonth']), int(r['iday']))
            chk['date ok' if sd == cd or (sd[2] == 0 and sd[:2] == cd[:2]) else 'date differs'] += 1
        else:
            chk['no date prefix'] += 1
        low = s.lower()
        chk['country named' if r['country_txt'].lower() in low else 'country not named'] += 1
        named = any(x and x != 'Unknown' and x.lower() in low for x in (r['city'], r['provstate']))
        chk['place named' if named or r['city'] == 'Unknown' else 'place not named'] += 1
    log('summary checks: %s' % dict(chk))
    empty = collections.Counter()
    for r in final:
        for c in ('latitude', 'specificity', 'natlty1_txt', 'targsubtype1_txt', 'nkill',
                  'nkillter', 'nwound', 'nwoundte'):
            if (r.get(c) or '') == '':
                empty[c] += 1
    log('value notes: %s' % dict(undet))
    log('empty cells in output rows: %s' % dict(empty))

    with open(args.output, 'w', newline='', encoding='utf-8') as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction='ignore')
        w.writeheader()
        blank = {'nkillter', 'nwoundte'} if args.no_assailant_counts else set()
        for r in final:
            w.writerow({c: ('' if r.get(c) is None or c in blank else r.get(c, '')) for c in COLUMNS})
    cnt = collections.Counter(r['country_txt'] for r in final)
    log('wrote %d rows to %s' % (len(final), args.output))
    log('rows by year: %s' % dict(sorted(collections.Counter(r['iyear'] for r in final).items())))
    log('rows by country: %s' % ', '.join('%s %d' % kv for kv in cnt.most_common()))
    if args.spotcheck:
        rnd = random.Random(20)
        for r in rnd.sample(final, min(args.spotcheck, len(final))):
            log('--- %s %s-%s-%s %s / %s / %s | %s | %s | killed %s (ter %s) wounded %s (ter %s)'
                % (r['eventid'], r['iyear'], r['imonth'], r['iday'], r['country_txt'],
                   r['provstate'], r['city'], r['attacktype1_txt'], r['gname'], r['nkill'],
                   r['nkillter'], r['nwound'], r['nwoundte']))
            log('    ' + r['summary'][:600])


if __name__ == '__main__':
    main()
