/*
 * test_harden_output.c - issue 11, the output defects: CSV cells quoted
 * per RFC 4180 and guarded against formulas (6); a run's files published
 * as one set, and a restart refused from a state of another run (8); no
 * fixed temp names, no symlinks followed (9); stop signals and `ulimit -f`
 * (10); errors that are never quiet and always say why (16).
 *
 * Most tests run the binary, $REESX_BIN (set by `make test`), on the
 * fixtures in tests/fixtures/harden_output/ and look at what it wrote.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/interrupt.h"
#include "output/writer.h"

#define MAX_FILE (4 << 20)     /* bytes of a file read back at most */
#define RUN_TIMEOUT_MS 120000  /* per run of the binary: the long fixtures under ASan */
#define CAUGHT_WAIT_MS 20000   /* for the binary to install its signal handlers */
#define POLL_US 1000
#define US_PER_MS 1000
#define EXIT_USAGE 1
#define EXIT_BAD_INPUT 2
#define EXIT_OUTPUT 4
#define EXIT_INFEASIBLE 6
#define EXIT_SIGNAL_BASE 128
#define EFBIG_LIMIT 3000 /* bytes: above every file of sim_small.cfg's set but final.state (about 4 kB) */
#define MAX_FIELDS 64
#define MAX_ROWS 4096

static const char *const sim_files[] = {"final.state", "stages.csv", "summary.json", "timeseries.csv"};
#define NSIM ((int)(sizeof sim_files / sizeof sim_files[0]))

/* ---- the binary ----------------------------------------------------------- */

static const char *reesx_bin(void)
{
    const char *bin = getenv("REESX_BIN");
    cr_assert(bin && bin[0], "REESX_BIN is not set (run the suite with `make test`)");
    return bin;
}

/* REPO/tests/fixtures/harden_output/NAME, from REESX_BIN = REPO/build/reesx. */
static void fixture(const char *name, char *path, size_t n)
{
    char *real = realpath(reesx_bin(), NULL);
    cr_assert(real, "cannot resolve REESX_BIN");
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(real, '/');
        cr_assert(slash && slash != real);
        *slash = '\0';
    }
    snprintf(path, n, "%s/tests/fixtures/%s", real, name);
    free(real);
    cr_assert(access(path, R_OK) == 0, "missing fixture %s", path);
}

/* dir/name into out (n bytes); fails the test if it does not fit. */
static void join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    cr_assert(k > 0 && (size_t)k < n, "path too long: %s/%s", dir, name);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, MAX_FILE, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f, "cannot write %s", path);
    fputs(text, f);
    cr_assert(fclose(f) == 0);
}

/* What one run of the binary did. */
typedef struct {
    pid_t pid;
    int exited, code, signaled, sig;
    char *out, *err;
    char outpath[PATH_MAX], errpath[PATH_MAX];
} Proc;

/* Start `reesx CMD CONFIG -o DIR -q` (dir NULL: no -o) with stdout and
 * stderr into files beside tmp, signals as a shell's foreground job has
 * them, and RLIMIT_FSIZE at fsize bytes (0: none). */
static void start(Proc *p, const char *tmp, const char *cmd, const char *cfg, const char *dir, long fsize)
{
    static int seq;
    memset(p, 0, sizeof *p);
    snprintf(p->outpath, sizeof p->outpath, "%s/stdout.%d", tmp, seq);
    snprintf(p->errpath, sizeof p->errpath, "%s/stderr.%d", tmp, seq++);
    const char *bin = reesx_bin();
    fflush(NULL);
    p->pid = fork();
    cr_assert(p->pid >= 0, "fork failed");
    if (p->pid > 0)
        return;
    int fo = open(p->outpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int fe = open(p->errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fo < 0 || fe < 0 || dup2(fo, STDOUT_FILENO) < 0 || dup2(fe, STDERR_FILENO) < 0)
        _exit(126);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGXFSZ};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    struct rlimit rl = {(rlim_t)fsize, (rlim_t)fsize};
    if (fsize > 0 && setrlimit(RLIMIT_FSIZE, &rl) != 0)
        _exit(125);
    char *argv[] = {(char *)bin, (char *)cmd, (char *)cfg, "-q", dir ? "-o" : NULL, (char *)dir, NULL};
    execv(bin, argv);
    _exit(127);
}

/* Wait for p (killing it after RUN_TIMEOUT_MS) and read what it printed. */
static void finish(Proc *p)
{
    int ws = 0, waited = 0;
    pid_t done;
    while ((done = waitpid(p->pid, &ws, WNOHANG)) == 0 && waited < RUN_TIMEOUT_MS) {
        usleep(POLL_US);
        waited += POLL_US / US_PER_MS;
    }
    if (done == 0) {
        kill(p->pid, SIGKILL);
        waitpid(p->pid, &ws, 0);
    }
    cr_assert(done != 0, "reesx did not finish in %d ms", RUN_TIMEOUT_MS);
    p->exited = WIFEXITED(ws);
    p->code = p->exited ? WEXITSTATUS(ws) : -1;
    p->signaled = WIFSIGNALED(ws);
    p->sig = p->signaled ? WTERMSIG(ws) : 0;
    p->out = slurp(p->outpath);
    p->err = slurp(p->errpath);
    cr_assert(p->out && p->err);
}

static void proc_free(Proc *p)
{
    free(p->out);
    free(p->err);
}

static Proc run(const char *tmp, const char *cmd, const char *cfg, const char *dir, long fsize)
{
    Proc p;
    start(&p, tmp, cmd, cfg, dir, fsize);
    finish(&p);
    return p;
}

/* Has pid exec'd the binary (and not still the forked test, whose
 * handlers are Criterion's)? */
static int is_reesx(pid_t pid)
{
    char link[64], exe[PATH_MAX];
    snprintf(link, sizeof link, "/proc/%ld/exe", (long)pid);
    ssize_t n = readlink(link, exe, sizeof exe - 1);
    char *bin = realpath(reesx_bin(), NULL);
    int yes = n > 0 && bin && (size_t)n == strlen(bin) && !memcmp(exe, bin, (size_t)n);
    free(bin);
    return yes;
}

/* 1 once the binary in pid has a handler for sig (/proc/PID/status,
 * SigCgt), 0 if it still has none after CAUGHT_WAIT_MS or has ended. */
static int wait_caught(pid_t pid, int sig)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    for (int waited = 0; waited < CAUGHT_WAIT_MS; waited += POLL_US / US_PER_MS) {
        FILE *f = fopen(path, "r");
        char line[256];
        unsigned long long mask = 0;
        while (f && fgets(line, sizeof line, f))
            if (sscanf(line, "SigCgt: %llx", &mask) == 1)
                break;
        if (f)
            fclose(f);
        if ((mask & (1ULL << (sig - 1))) && is_reesx(pid))
            return 1;
        siginfo_t info;
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != 0)
            return 0; /* ended (still to be reaped by finish) */
        usleep(POLL_US);
    }
    return 0;
}

/* ---- directories ---------------------------------------------------------- */

static char *make_tmp(void)
{
    static char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/reesx-harden-XXXXXX");
    cr_assert(mkdtemp(tmp), "mkdtemp failed");
    return tmp;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[PATH_MAX];
        join(path, sizeof path, dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* The names in dir, sorted, space separated ("-" if it cannot be read). */
static void listing(const char *dir, char *out, size_t n)
{
    struct dirent **names;
    int k = scandir(dir, &names, NULL, alphasort);
    snprintf(out, n, "%s", k < 0 ? "-" : "");
    for (int i = 0; i < k; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
            snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? " " : "", names[i]->d_name);
        free(names[i]);
    }
    if (k >= 0)
        free(names);
}

static char *read_in(const char *dir, const char *name)
{
    char path[PATH_MAX];
    join(path, sizeof path, dir, name);
    return slurp(path);
}

/* ---- CSV ------------------------------------------------------------------ */

/* An RFC 4180 reader: rows of fields, each malloc'd. */
typedef struct {
    int nrows;
    int nf[MAX_ROWS];
    char *f[MAX_ROWS][MAX_FIELDS];
} Csv;

static void csv_field(Csv *c, const char *start, size_t len, int quoted)
{
    char *v = malloc(len + 1), *o = v;
    cr_assert(v);
    for (size_t i = 0; i < len; i++) {
        *o++ = start[i];
        if (quoted && start[i] == '"')
            i++; /* "" is one quote */
    }
    *o = '\0';
    int r = c->nrows;
    cr_assert(c->nf[r] < MAX_FIELDS, "row %d: too many fields", r + 1);
    c->f[r][c->nf[r]++] = v;
}

/* Parse text; fails the test on a quote that is not RFC 4180. */
static void csv_parse(const char *text, Csv *c)
{
    memset(c, 0, sizeof *c);
    const char *p = text;
    while (*p && c->nrows < MAX_ROWS) {
        int quoted = *p == '"';
        const char *start = quoted ? ++p : p;
        if (quoted) {
            while (*p && !(p[0] == '"' && p[1] != '"'))
                p += p[0] == '"' ? 2 : 1;
            cr_assert(*p == '"', "row %d: unterminated quoted field", c->nrows + 1);
            csv_field(c, start, (size_t)(p - start), 1);
            p++;
        } else {
            while (*p && *p != ',' && *p != '\n')
                p++;
            cr_assert(memchr(start, '"', (size_t)(p - start)) == NULL, "row %d: a bare quote in a field",
                      c->nrows + 1);
            csv_field(c, start, (size_t)(p - start), 0);
        }
        cr_assert(*p == ',' || *p == '\n' || !*p, "row %d: text after a closing quote", c->nrows + 1);
        if (*p == '\n' || !*p)
            c->nrows++;
        if (*p)
            p++;
    }
}

static void csv_free(Csv *c)
{
    for (int r = 0; r <= c->nrows && r < MAX_ROWS; r++)
        for (int i = 0; i < c->nf[r]; i++)
            free(c->f[r][i]);
}

/* Every row of the file has as many fields as its header. */
static void csv_read(const char *dir, const char *name, Csv *c)
{
    char *text = read_in(dir, name);
    cr_assert(text, "%s was not written", name);
    csv_parse(text, c);
    free(text);
    cr_assert(c->nrows >= 2, "%s: %d rows", name, c->nrows);
    for (int r = 1; r < c->nrows; r++)
        cr_expect_eq(c->nf[r], c->nf[0], "%s: row %d has %d fields, the header %d", name, r + 1, c->nf[r],
                     c->nf[0]);
}

static int has_field(const Csv *c, int row, const char *want)
{
    for (int i = 0; i < c->nf[row]; i++)
        if (!strcmp(c->f[row][i], want))
            return 1;
    return 0;
}

/* ---- the set of a simulation --------------------------------------------- */

/* The run id of dir's final.state and summary.json ("" when absent). */
static void run_ids(const char *dir, char *state_id, char *summary_id, size_t n)
{
    char *st = read_in(dir, "final.state"), *sum = read_in(dir, "summary.json");
    state_id[0] = summary_id[0] = '\0';
    const char *k;
    if (st && !strncmp(st, "reesx-state 1 run ", 18))
        snprintf(state_id, n, "%.*s", (int)strcspn(st + 18, "\n"), st + 18);
    if (sum && (k = strstr(sum, "\"run_id\":")) && (k = strchr(k + 9, '"')))
        snprintf(summary_id, n, "%.*s", (int)strcspn(k + 1, "\""), k + 1);
    free(st);
    free(sum);
}

static void expect_one_run(const char *dir)
{
    char a[128], b[128];
    run_ids(dir, a, b, sizeof a);
    cr_expect(a[0] && !strcmp(a, b), "final.state of run '%s' beside summary.json of run '%s'", a, b);
}

/* dir holds exactly the files of a simulation (no temp file or directory). */
static void expect_sim_set(const char *dir)
{
    char got[1024];
    listing(dir, got, sizeof got);
    cr_expect_str_eq(got, "final.state stages.csv summary.json timeseries.csv", "%s holds: %s", dir, got);
}

/* ---- 6: CSV cells -------------------------------------------------------- */

static void cell(const char *in, int first, const char *want)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    cr_assert(f);
    rx_csv_text(f, first, in);
    fclose(f);
    cr_expect_str_eq(buf, want, "cell of [%s]: [%s], expected [%s]", in, buf, want);
    free(buf);
}

Test(harden_output, csv_text_cells_are_quoted_and_guarded)
{
    cell("feed", 1, "feed");
    cell("feed", 0, ",feed");
    cell("a,b", 1, "\"a,b\"");
    cell("say \"x\"", 1, "\"say \"\"x\"\"\"");
    cell("two\nlines", 1, "\"two\nlines\"");
    cell("cr\rhere", 1, "\"cr\rhere\"");
    cell("=1+2", 1, "'=1+2");
    cell("+SUM(A1)", 1, "'+SUM(A1)");
    cell("-Nd", 1, "'-Nd");
    cell("@cmd", 1, "'@cmd");
    cell("\tx", 1, "'\tx");
    cell("=a,b", 1, "\"'=a,b\"");
    cell("-", 0, ",-"); /* a unit of a pure number: no formula */
    cell("", 0, ",");
    cell("La-Ce chloride", 1, "La-Ce chloride");
}

Test(harden_output, csv_numbers_are_not_text)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    cr_assert(f);
    rx_csv_num(f, -1.5);
    fclose(f);
    cr_expect_str_eq(buf, ",-1.5");
    free(buf);
}

Test(harden_output, run_quotes_names_in_stages_and_streams_csv)
{
    char cfg[PATH_MAX], out[PATH_MAX];
    fixture("harden_output/names.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    join(out, sizeof out, tmp, "out");
    Proc p = run(tmp, "run", cfg, out, 0);
    cr_expect_eq(p.code, 0, "exit %d: %s", p.code, p.err);
    Csv *c = malloc(sizeof *c);
    cr_assert(c);
    csv_read(out, "stages.csv", c);
    cr_expect_str_eq(c->f[1][1], "ex,tr\"a");
    cr_expect_str_eq(c->f[4][1], "'=scrub");
    csv_free(c);
    csv_read(out, "streams.csv", c);
    cr_expect_str_eq(c->f[1][1], "a,b");
    cr_expect_str_eq(c->f[2][1], "scrub\nacid");
    cr_expect_str_eq(c->f[3][1], "'@fresh organic");
    cr_expect_str_eq(c->f[1][2], "aqueous");
    csv_free(c);
    free(c);
    proc_free(&p);
    remove_tree(tmp);
}

Test(harden_output, simulate_quotes_product_names_in_timeseries_csv)
{
    char cfg[PATH_MAX], out[PATH_MAX];
    fixture("harden_output/names.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    join(out, sizeof out, tmp, "out");
    Proc p = run(tmp, "simulate", cfg, out, 0);
    cr_expect_eq(p.code, 0, "exit %d: %s", p.code, p.err);
    Csv *c = malloc(sizeof *c);
    cr_assert(c);
    csv_read(out, "timeseries.csv", c);
    cr_expect(has_field(c, 0, "La,\"x\" flow [L/h]"), "no column 'La,\"x\" flow [L/h]'");
    cr_expect(has_field(c, 0, "'-Nd purity [%]"), "no column \"'-Nd purity [%%]\"");
    csv_free(c);
    csv_read(out, "stages.csv", c);
    csv_free(c);
    free(c);
    proc_free(&p);
    remove_tree(tmp);
}

Test(harden_output, design_quotes_names_in_candidates_and_pareto_csv)
{
    char cfg[PATH_MAX], out[PATH_MAX];
    fixture("harden_output/names.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    join(out, sizeof out, tmp, "out");
    Proc p = run(tmp, "design", cfg, out, 0);
    cr_expect_eq(p.code, 0, "exit %d: %s", p.code, p.err);
    Csv *c = malloc(sizeof *c);
    cr_assert(c);
    const char *files[] = {"candidates.csv", "pareto.csv"};
    for (int i = 0; i < 2; i++) {
        csv_read(out, files[i], c);
        cr_expect(has_field(c, 0, "ex,tr\"a stages [-]"), "%s: no column 'ex,tr\"a stages [-]'", files[i]);
        cr_expect(has_field(c, 0, "'=scrub stages [-]"), "%s: no column \"'=scrub stages [-]\"", files[i]);
        cr_expect(has_field(c, 0, "'@fresh organic flow [L/h]"), "%s: no guarded flow column", files[i]);
        cr_expect(has_field(c, 0, "La,\"x\": recovery >= 50 % [%]"), "%s: no target column", files[i]);
        csv_free(c);
    }
    free(c);
    proc_free(&p);
    remove_tree(tmp);
}

/* ---- 8, 10: a set is published whole or not at all ------------------------ */

/* dir with each file of a simulation holding "OLD\n". */
static void old_set(const char *dir)
{
    cr_assert(mkdir(dir, 0777) == 0);
    for (int i = 0; i < NSIM; i++) {
        char path[PATH_MAX];
        join(path, sizeof path, dir, sim_files[i]);
        spit(path, "OLD\n");
    }
}

static void expect_old_set(const char *dir)
{
    expect_sim_set(dir);
    for (int i = 0; i < NSIM; i++) {
        char *t = read_in(dir, sim_files[i]);
        cr_expect(t && !strcmp(t, "OLD\n"), "%s was replaced though the set failed", sim_files[i]);
        free(t);
    }
}

/* ulimit -f between the sizes of the files: the first are written, then
 * final.state fails.  Exit 4 with the reason, and no file of the old set
 * replaced (not a new timeseries.csv beside an old final.state). */
Test(harden_output, file_size_limit_exits_4_and_leaves_the_old_set)
{
    char cfg[PATH_MAX], out[PATH_MAX];
    fixture("harden_output/sim_small.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    join(out, sizeof out, tmp, "out");
    old_set(out);
    Proc p = run(tmp, "simulate", cfg, out, EFBIG_LIMIT);
    cr_expect(p.exited, "reesx was killed by signal %d (SIGXFSZ is %d)", p.sig, SIGXFSZ);
    cr_expect_eq(p.code, EXIT_OUTPUT, "exit %d: %s", p.code, p.err);
    cr_expect(strstr(p.err, "final.state") && strstr(p.err, strerror(EFBIG)), "stderr: %s", p.err);
    cr_expect(!strstr(p.err, ".reesx-tmp"), "the error names the temporary directory: %s", p.err);
    expect_old_set(out);
    proc_free(&p);
    remove_tree(tmp);
}

/* final.state cannot take its place (a directory has its name): found
 * before the first rename, so nothing is replaced; the error says why. */
Test(harden_output, state_write_error_gives_the_reason_and_touches_nothing)
{
    char cfg[PATH_MAX], out[PATH_MAX], path[PATH_MAX];
    fixture("harden_output/sim_small.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    join(out, sizeof out, tmp, "out");
    cr_assert(mkdir(out, 0777) == 0);
    join(path, sizeof path, out, "final.state");
    cr_assert(mkdir(path, 0777) == 0);
    Proc p = run(tmp, "simulate", cfg, out, 0);
    cr_expect_eq(p.code, EXIT_OUTPUT, "exit %d: %s", p.code, p.err);
    cr_expect(strstr(p.err, "final.state") && strstr(p.err, strerror(EISDIR)), "stderr: %s", p.err);
    char got[1024];
    listing(out, got, sizeof got);
    cr_expect_str_eq(got, "final.state", "a failed set left: %s", got);
    proc_free(&p);
    remove_tree(tmp);
}

/* A restart config of sim_small.cfg from state (absolute path), to 20 h. */
static void restart_cfg(const char *path, const char *state)
{
    char src[PATH_MAX];
    fixture("harden_output/sim_small.cfg", src, sizeof src);
    char *text = slurp(src);
    cr_assert(text);
    char *dyn = strstr(text, "dynamics = {");
    cr_assert(dyn);
    *dyn = '\0';
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "%sdynamics = { horizon = \"20 h\"; output_interval = \"5 h\"; initial = \"state\";\n"
               "             state_file = \"%s\"; };\n",
            text, state);
    cr_assert(fclose(f) == 0);
    free(text);
}

/* final.state of one run beside summary.json of another (what a set cut
 * short while it was published leaves): the restart is refused. */
Test(harden_output, restart_from_a_state_of_another_run_is_refused)
{
    char cfg[PATH_MAX], a[PATH_MAX], b[PATH_MAX], from[PATH_MAX], to[PATH_MAX], rcfg[PATH_MAX], out[PATH_MAX];
    fixture("harden_output/sim_small.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    join(a, sizeof a, tmp, "a");
    join(b, sizeof b, tmp, "b");
    Proc pa = run(tmp, "simulate", cfg, a, 0), pb = run(tmp, "simulate", cfg, b, 0);
    cr_assert(pa.code == 0 && pb.code == 0, "%s%s", pa.err, pb.err);
    join(from, sizeof from, b, "final.state");
    join(to, sizeof to, a, "final.state");
    cr_assert(rename(from, to) == 0);
    join(rcfg, sizeof rcfg, tmp, "restart_a.cfg");
    restart_cfg(rcfg, to);
    join(out, sizeof out, tmp, "out");
    Proc p = run(tmp, "simulate", rcfg, out, 0);
    cr_expect_eq(p.code, EXIT_BAD_INPUT, "exit %d: %s", p.code, p.err);
    cr_expect(strstr(p.err, to) && strstr(p.err, "not of the run whose summary.json is beside it"), "stderr: %s",
              p.err);
    proc_free(&p);
    proc_free(&pa);
    proc_free(&pb);
    remove_tree(tmp);
}

/* ...and a state with its own summary.json restarts. */
Test(harden_output, restart_from_a_whole_set_runs)
{
    char cfg[PATH_MAX], a[PATH_MAX], state[PATH_MAX], rcfg[PATH_MAX], out[PATH_MAX];
    fixture("harden_output/sim_small.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    join(a, sizeof a, tmp, "a");
    Proc pa = run(tmp, "simulate", cfg, a, 0);
    cr_assert(pa.code == 0, "%s", pa.err);
    expect_sim_set(a);
    expect_one_run(a);
    join(state, sizeof state, a, "final.state");
    join(rcfg, sizeof rcfg, tmp, "restart.cfg");
    restart_cfg(rcfg, state);
    join(out, sizeof out, tmp, "out");
    Proc p = run(tmp, "simulate", rcfg, out, 0);
    cr_expect_eq(p.code, 0, "exit %d: %s", p.code, p.err);
    expect_one_run(out);
    proc_free(&p);
    proc_free(&pa);
    remove_tree(tmp);
}

/* ---- 9: temp files are unique and never follow a planted symlink -------- */

Test(harden_output, planted_temp_symlink_is_not_followed)
{
    char cfg[PATH_MAX], out[PATH_MAX], link[PATH_MAX], victim[PATH_MAX];
    fixture("harden_output/sim_small.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    join(out, sizeof out, tmp, "out");
    join(victim, sizeof victim, tmp, "victim");
    cr_assert(mkdir(out, 0777) == 0);
    const char *planted[] = {"final.state.tmp", "summary.json.tmp", "timeseries.csv.tmp"};
    for (int i = 0; i < 3; i++) {
        join(link, sizeof link, out, planted[i]);
        cr_assert(symlink(victim, link) == 0);
    }
    Proc p = run(tmp, "simulate", cfg, out, 0);
    cr_expect_eq(p.code, 0, "exit %d: %s", p.code, p.err);
    cr_expect(access(victim, F_OK) != 0, "the symlink's target was written");
    char got[1024];
    listing(out, got, sizeof got);
    cr_expect_str_eq(got, "final.state final.state.tmp stages.csv summary.json summary.json.tmp timeseries.csv "
                          "timeseries.csv.tmp", "out holds: %s", got);
    expect_one_run(out);
    proc_free(&p);
    remove_tree(tmp);
}

#define CONCURRENT_RUNS 4

/* Runs into one directory at once: each publishes its set whole under the
 * directory's lock, so the last set stands, of one run, without temp files. */
Test(harden_output, concurrent_runs_into_one_directory_leave_one_whole_set)
{
    char cfg[PATH_MAX], out[PATH_MAX];
    fixture("harden_output/sim_small.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    join(out, sizeof out, tmp, "out");
    cr_assert(mkdir(out, 0777) == 0);
    Proc p[CONCURRENT_RUNS];
    for (int i = 0; i < CONCURRENT_RUNS; i++)
        start(&p[i], tmp, "simulate", cfg, out, 0);
    for (int i = 0; i < CONCURRENT_RUNS; i++) {
        finish(&p[i]);
        cr_expect_eq(p[i].code, 0, "run %d: exit %d: %s", i, p[i].code, p[i].err);
        proc_free(&p[i]);
    }
    expect_sim_set(out);
    expect_one_run(out);
    remove_tree(tmp);
}

/* ---- 10: stop signals ----------------------------------------------------- */

/* Start cmd on a long fixture, send sig once the binary catches it. */
static Proc interrupt_run(const char *tmp, const char *cmd, const char *name, const char *out, int sig)
{
    char cfg[PATH_MAX];
    fixture(name, cfg, sizeof cfg);
    Proc p;
    start(&p, tmp, cmd, cfg, out, 0);
    int caught = wait_caught(p.pid, sig);
    kill(p.pid, sig);
    finish(&p);
    cr_expect(caught, "reesx %s never installed a handler for signal %d", cmd, sig);
    return p;
}

Test(harden_output, sigterm_stops_simulate_with_a_partial_set)
{
    char out[PATH_MAX];
    char *tmp = make_tmp();
    join(out, sizeof out, tmp, "out");
    Proc p = interrupt_run(tmp, "simulate", "harden_output/long_sim.cfg", out, SIGTERM);
    cr_expect(p.exited, "reesx was killed by signal %d", p.sig);
    cr_expect_eq(p.code, EXIT_SIGNAL_BASE + SIGTERM, "exit %d: %s", p.code, p.err);
    cr_expect(strstr(p.err, "interrupted by SIGTERM") && strstr(p.err, "partial"), "stderr: %s", p.err);
    expect_sim_set(out);
    expect_one_run(out);
    char *sum = read_in(out, "summary.json");
    cr_expect(sum && strstr(sum, "\"partial\":\ttrue") && strstr(sum, "\"interrupted_by\":\t\"SIGTERM\"") &&
                  strstr(sum, "\"completed\":\tfalse"),
              "summary.json: %s", sum ? sum : "(none)");
    free(sum);
    proc_free(&p);
    remove_tree(tmp);
}

Test(harden_output, sigint_stops_design_with_the_candidates_solved)
{
    char out[PATH_MAX];
    char *tmp = make_tmp();
    join(out, sizeof out, tmp, "out");
    Proc p = interrupt_run(tmp, "design", "harden_output/long_design.cfg", out, SIGINT);
    cr_expect(p.exited, "reesx was killed by signal %d", p.sig);
    cr_expect_eq(p.code, EXIT_SIGNAL_BASE + SIGINT, "exit %d: %s", p.code, p.err);
    cr_expect(strstr(p.err, "interrupted by SIGINT"), "stderr: %s", p.err);
    char got[1024];
    listing(out, got, sizeof got);
    cr_expect(!strcmp(got, "candidates.csv design.cfg pareto.csv") || !strcmp(got, "candidates.csv pareto.csv"),
              "out holds: %s", got);
    char *cfg = read_in(out, "design.cfg");
    cr_expect(!cfg || strstr(cfg, "\n# PARTIAL: the search was interrupted by SIGINT"), "design.cfg: %s", cfg);
    free(cfg);
    proc_free(&p);
    remove_tree(tmp);
}

#define STRESS_RUNS 6
#define STRESS_STEP_US 15000 /* delay added per run: the signal lands in the run, the writing, the end */

/* A signal at any moment after the handlers are in: never a death by the
 * signal, never a temp file left, and any set written is whole. */
Test(harden_output, a_signal_at_any_moment_leaves_no_temp_files)
{
    char cfg[PATH_MAX], out[PATH_MAX];
    fixture("harden_output/sim_small.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    for (int i = 0; i < STRESS_RUNS; i++) {
        snprintf(out, sizeof out, "%s/out%d", tmp, i);
        Proc p;
        start(&p, tmp, "simulate", cfg, out, 0);
        int caught = wait_caught(p.pid, SIGTERM);
        usleep((useconds_t)(i * STRESS_STEP_US));
        kill(p.pid, SIGTERM);
        finish(&p);
        cr_expect(caught || (p.exited && p.code == 0), "run %d: no handler for SIGTERM", i); /* or done first */
        cr_expect(p.exited && (p.code == 0 || p.code == EXIT_SIGNAL_BASE + SIGTERM), "run %d: %s %d: %s", i,
                  p.exited ? "exit" : "killed by signal", p.exited ? p.code : p.sig, p.err);
        char got[1024];
        listing(out, got, sizeof got);
        if (strcmp(got, "-") != 0 && got[0]) {
            expect_sim_set(out);
            expect_one_run(out);
        }
        proc_free(&p);
    }
    remove_tree(tmp);
}

/* While a set is written the stop signals wait; they act once it is out. */
Test(harden_output, stop_signals_are_held_while_a_set_is_written)
{
    cr_assert_eq(rx_interrupt_install(), 0);
    rx_interrupt_reset();
    sigset_t saved;
    rx_interrupt_hold(&saved);
    raise(SIGTERM);
    cr_expect_eq(rx_interrupted(), 0, "a held signal acted");
    rx_interrupt_release(&saved);
    cr_expect_eq(rx_interrupted(), SIGTERM);
    rx_interrupt_reset();
}

/* ---- 16: messages --------------------------------------------------------- */

Test(harden_output, design_quiet_says_why_it_exits_6)
{
    char cfg[PATH_MAX], out[PATH_MAX];
    fixture("design_infeasible.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    join(out, sizeof out, tmp, "out");
    Proc p = run(tmp, "design", cfg, out, 0);
    cr_expect_eq(p.code, EXIT_INFEASIBLE, "exit %d: %s", p.code, p.err);
    cr_expect(strstr(p.err, "no candidate") && strstr(p.err, "cannot be met: Nd: purity >= 99.9999 %"),
              "stderr: [%s]", p.err);
    cr_expect_str_empty(p.out, "-q printed: %s", p.out);
    proc_free(&p);
    remove_tree(tmp);
}

Test(harden_output, empty_output_directory_is_named)
{
    char cfg[PATH_MAX];
    fixture("small.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    Proc p = run(tmp, "run", cfg, "", 0);
    cr_expect_eq(p.code, EXIT_USAGE, "exit %d: %s", p.code, p.err);
    cr_expect(strstr(p.err, "-o: an empty directory name"), "stderr: %s", p.err);
    proc_free(&p);
    remove_tree(tmp);
}

#define LONG_PATH 800      /* bytes: beyond the 600-byte temp name the writers once had */
#define PATH_COMPONENT 200 /* bytes of each directory on the way there (NAME_MAX is 255) */

/* An output directory with a long path is written, not refused with a
 * temp name cut short ("Invalid argument"). */
Test(harden_output, long_output_path_is_written)
{
    char cfg[PATH_MAX], out[PATH_MAX], part[PATH_COMPONENT + 1];
    fixture("small.cfg", cfg, sizeof cfg);
    char *tmp = make_tmp();
    memset(part, 'd', PATH_COMPONENT);
    part[PATH_COMPONENT] = '\0';
    snprintf(out, sizeof out, "%s", tmp);
    while (strlen(out) < LONG_PATH) {
        snprintf(out + strlen(out), sizeof out - strlen(out), "/%s", part);
        cr_assert(mkdir(out, 0777) == 0 || errno == EEXIST);
    }
    Proc p = run(tmp, "run", cfg, out, 0);
    cr_expect_eq(p.code, 0, "exit %d: %s", p.code, p.err);
    char got[1024];
    listing(out, got, sizeof got);
    cr_expect_str_eq(got, "stages.csv streams.csv summary.json", "out holds: %s", got);
    proc_free(&p);
    remove_tree(tmp);
}
