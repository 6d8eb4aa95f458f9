/*
 * test_harden_input.c - the input side of issue 11: sizes and counts that
 * wrapped, integers cut to 32 bits, files read more than once or forever,
 * @include, text that is not UTF-8, amounts no solution holds, and limit
 * messages that hide the value.  The one-setting fixtures of these limits
 * are in tests/fixtures/bad/input_*.cfg (tests/test_bad_input.c); here are
 * the cases a fixture cannot hold: generated files, pipes, FIFOs, files
 * beside the config, edits in memory.
 *
 * Runs of the binary come from $REESX_BIN (set by `make test`); the source
 * tree is RX_SOURCE_DIR.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

#ifndef RX_SOURCE_DIR
#define RX_SOURCE_DIR "."
#endif

#define EXIT_BAD_INPUT 2
#define RUN_TIMEOUT_MS 20000 /* per run of the binary (asan builds are slow); a read that never ends hits it */
#define CAPTURE_MAX 8192     /* bytes of stderr kept */

/* What one run of the binary did. */
typedef struct {
    int status; /* exit code, or 128 + signal */
    int timed_out;
    char err[CAPTURE_MAX];
    char listing[1024]; /* files in the output directory, space separated */
} HRun;

static const char *bin(void)
{
    const char *b = getenv("REESX_BIN");
    cr_assert(b && access(b, X_OK) == 0, "REESX_BIN is not set to the binary (run the suite with `make test`)");
    return b;
}

/* A new temp directory (the caller removes it with rm_tree). */
static void temp_dir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/reesx-harden-XXXXXX");
    cr_assert(mkdtemp(dir), "mkdtemp failed");
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            rm_tree(path);
        else
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static void write_in(const char *dir, const char *name, const char *text)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_text(path, text);
}

/* text with its first `old` replaced by `new` (malloc'd); fails if absent. */
static char *replaced(const char *text, const char *old, const char *new)
{
    const char *at = strstr(text, old);
    cr_assert(at, "'%s' is not in the text", old);
    size_t a = (size_t)(at - text), n = strlen(text) - strlen(old) + strlen(new);
    char *t = malloc(n + 1);
    cr_assert(t);
    snprintf(t, n + 1, "%.*s%s%s", (int)a, text, new, at + strlen(old));
    return t;
}

static char *source_text(const char *relpath)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", RX_SOURCE_DIR, relpath);
    return read_text(path);
}

/* Wait for pid at most RUN_TIMEOUT_MS; kill it when it takes longer. */
static int wait_limited(pid_t pid, int *timed_out)
{
    int ws = 0, waited = 0;
    pid_t done;
    while ((done = waitpid(pid, &ws, WNOHANG)) == 0 && waited < RUN_TIMEOUT_MS) {
        usleep(1000);
        waited++;
    }
    *timed_out = done == 0;
    if (done == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &ws, 0);
    }
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
}

/* `reesx cmd config -q -o TMP/out`, stdin from the file `input` when not
 * NULL (through a pipe, as `cat input | reesx ...`). */
static HRun run_bin(const char *cmd, const char *config, const char *input)
{
    HRun r;
    memset(&r, 0, sizeof r);
    char tmp[64], out[96], errpath[96];
    temp_dir(tmp, sizeof tmp);
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(errpath, sizeof errpath, "%s/stderr", tmp);
    int pfd[2] = {-1, -1};
    cr_assert(!input || pipe(pfd) == 0);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int fe = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600), fo = open("/dev/null", O_WRONLY);
        if (fe < 0 || fo < 0 || dup2(fe, STDERR_FILENO) < 0 || dup2(fo, STDOUT_FILENO) < 0)
            _exit(126);
        if (input && (dup2(pfd[0], STDIN_FILENO) < 0 || close(pfd[1]) != 0))
            _exit(126);
        char *argv[] = {(char *)bin(), (char *)cmd, (char *)config, "-q", "-o", out, NULL};
        execv(argv[0], argv);
        _exit(127);
    }
    if (input) { /* the pipe: write the whole file, then end it */
        close(pfd[0]);
        char *text = read_text(input);
        size_t n = strlen(text), off = 0;
        signal(SIGPIPE, SIG_IGN);
        while (off < n) {
            ssize_t w = write(pfd[1], text + off, n - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        free(text);
        close(pfd[1]);
    }
    r.status = wait_limited(pid, &r.timed_out);
    FILE *f = fopen(errpath, "r");
    size_t got = f ? fread(r.err, 1, sizeof r.err - 1, f) : 0;
    r.err[got] = '\0';
    if (f)
        fclose(f);
    DIR *d = opendir(out);
    for (struct dirent *e; d && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            snprintf(r.listing + strlen(r.listing), sizeof r.listing - strlen(r.listing), "%s ", e->d_name);
    if (d)
        closedir(d);
    rm_tree(tmp);
    cr_assert(!r.timed_out, "reesx %s %s did not finish in %d ms (a read that never ends?)", cmd, config,
              RUN_TIMEOUT_MS);
    return r;
}

/* The run must be refused: exit 2, one line on stderr holding phrase, no output. */
static void expect_refused(const HRun *r, const char *what, const char *phrase)
{
    cr_expect_eq(r->status, EXIT_BAD_INPUT, "%s: exit %d, expected 2; stderr: %s", what, r->status, r->err);
    cr_expect(strstr(r->err, phrase) != NULL, "%s: stderr lacks \"%s\": %s", what, phrase, r->err);
    cr_expect(strchr(r->err, '\n') == r->err + strlen(r->err) - 1, "%s: not one line on stderr: %s", what, r->err);
    cr_expect(strstr(r->listing, "summary.json") == NULL, "%s: wrote %s", what, r->listing);
}

/* ---- 1: section and stage counts ------------------------------------------- */

/* 42 950 sections of 100 000 stages wrapped the int total to 32 704, and a
 * feed at "s0:last" was written outside the stage arrays. */
Test(harden_input, many_sections_do_not_wrap_the_stage_total)
{
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/many.cfg", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("version = 1;\nextractant = { name = \"P507\"; concentration = \"1.5 mol/L\"; };\n"
          "model = { type = \"mass_action\"; };\nsections = (\n",
          f);
    for (int i = 0; i < 42950; i++)
        fprintf(f, "%s{ name = \"s%d\"; stages = 100000; }\n", i ? "," : "", i);
    fputs(");\nfeeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = \"s0:last\"; flow = \"100 L/h\";\n"
          "  acid = \"pH 2\"; composition = { La = \"1 g/L\"; }; },\n"
          "  { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"100 L/h\"; } );\n",
          f);
    cr_assert(fclose(f) == 0);
    HRun r = run_bin("run", path, NULL);
    rm_tree(dir);
    expect_refused(&r, "42950 sections", "sections: 42950 sections: at most 64");
}

/* The design search resizes sections in memory: its total is bounded too. */
Test(harden_input, resized_sections_stay_within_the_stage_limit)
{
    char *text = source_text("tests/fixtures/small.cfg");
    RxPlant *p = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_plant_load_text(text, "small", &p, &err), RX_OK, "%s", err.msg);
    int sections[2] = {0, 1}, ok[2] = {1000, 1000}, over[2] = {1000, 1001}, huge[1] = {INT_MAX};
    cr_expect_eq(rx_plant_set_stages(p, 2, sections, ok, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(p->nstages, 2000);
    cr_expect_eq(rx_plant_set_stages(p, 2, sections, over, &err), RX_BAD_INPUT, "2001 stages were accepted");
    rx_plant_destroy(&p);
    cr_assert_eq(rx_plant_load_text(text, "small", &p, &err), RX_OK, "%s", err.msg);
    cr_expect_eq(rx_plant_set_stages(p, 1, sections, huge, &err), RX_BAD_INPUT, "INT_MAX stages were accepted");
    rx_plant_destroy(&p);
    free(text);
}

/* ---- 2: integers are read whole ----------------------------------------- */

/* An integer written with libconfig's 64-bit suffix is an integer. */
Test(harden_input, l_suffix_is_an_integer)
{
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/l.cfg", dir);
    char *small = source_text("tests/fixtures/small.cfg"), *text = replaced(small, "stages = 3; },", "stages = 3L; },");
    write_text(path, text);
    HRun r = run_bin("run", path, NULL);
    rm_tree(dir);
    free(small);
    free(text);
    cr_expect_eq(r.status, 0, "stages = 3L: exit %d; stderr: %s", r.status, r.err);
}

/* Each integer setting beyond 32 bits is refused with its whole value; before,
 * libconfig kept the low 32 bits (2^32 + 2 read as 2). */
static void expect_load_refused(const char *relpath, const char *old, const char *new, const char *phrase)
{
    char *base = source_text(relpath), *text = replaced(base, old, new);
    RxPlant *p = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_plant_load_text(text, "edited", &p, &err);
    cr_expect_eq(rc, RX_BAD_INPUT, "%s -> %s: loaded (rc %d)", old, new, rc);
    cr_expect(strstr(err.msg, phrase) != NULL, "%s -> %s: message lacks \"%s\": %s: %s", old, new, phrase, err.where,
              err.msg);
    rx_plant_destroy(&p);
    free(base);
    free(text);
}

Test(harden_input, integer_settings_are_range_checked_whole)
{
    expect_load_refused("configs/default.cfg", "operators_per_shift = 2;", "operators_per_shift = 4294967298;",
                        "cost.operators_per_shift: 4294967298 operators: need 0 to 1000");
    expect_load_refused("configs/default.cfg", "tanks = 2; }; },", "tanks = 4294967298; }; },",
                        "settler.tanks: 4294967298 tanks: must be 1 to 20");
    expect_load_refused("configs/default.cfg", "initial = \"barren\";", "initial = \"barren\"; max_steps = 4294967297;",
                        "dynamics.max_steps: 4294967297 steps");
    expect_load_refused("tests/fixtures/design_small.cfg", "design = {", "design = { threads = 4294967298;",
                        "design.threads: 4294967298 threads: need 1 to 64");
    expect_load_refused("tests/fixtures/design_small.cfg", "min = 14; max = 20;", "min = 14; max = 4294967310;",
                        "stages from 14 to 4294967310");
    expect_load_refused("tests/fixtures/small.cfg", "stages = 3; },", "stages = 0x100000003; },",
                        "4294967299 stages: must be 1 to 2000");
    expect_load_refused("tests/fixtures/small.cfg", "stages = 3; },", "stages = -4294967293; },",
                        "-4294967293 stages: must be 1 to 2000");
}

/* ---- 3 and 11: read once, from memory, with a size cap --------------------- */

/* `cat plant.cfg | reesx run /dev/stdin` and `reesx design <(...)`: a pipe is
 * read once (it was read twice, the second time empty). */
Test(harden_input, a_piped_description_is_read_once)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/fixtures/small.cfg", RX_SOURCE_DIR);
    HRun r = run_bin("run", "/dev/stdin", path);
    cr_expect_eq(r.status, 0, "run /dev/stdin: exit %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.listing, "summary.json") != NULL, "run /dev/stdin wrote: %s", r.listing);
    snprintf(path, sizeof path, "%s/tests/fixtures/design_small.cfg", RX_SOURCE_DIR);
    r = run_bin("design", "/dev/fd/0", path);
    cr_expect_eq(r.status, 0, "design /dev/fd/0: exit %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.listing, "design.cfg") != NULL, "design /dev/fd/0 wrote: %s", r.listing);
}

/* The plant keeps the text it was read from: a file changed (or gone)
 * after the load changes nothing of what is written (design.cfg). */
Test(harden_input, the_file_is_not_read_again)
{
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/plant.cfg", dir);
    char *small = source_text("tests/fixtures/small.cfg");
    write_text(path, small);
    RxPlant *p = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_plant_load(path, &p, &err), RX_OK, "%s", err.msg);
    write_text(path, "version = 2;\n");
    int sec[1] = {1}, st[1] = {4};
    char *text = NULL;
    cr_expect_eq(rx_plant_variant(p, 1, sec, st, 0, NULL, NULL, &text, &err), RX_OK, "%s: %s", err.where, err.msg);
    cr_expect(text && strstr(text, "extraction") && strstr(text, "stages = 4"), "variant: %s", text ? text : "-");
    free(text);
    rx_plant_destroy(&p);
    rm_tree(dir);
    free(small);
}

/* A description above RX_MAX_INPUT_BYTES (16 MB) is refused before it is parsed. */
Test(harden_input, a_description_has_a_size_cap)
{
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/big.cfg", dir);
    char *small = source_text("tests/fixtures/small.cfg");
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(small, f);
    static char line[1025];
    memset(line, '#', 1023);
    line[1023] = '\n';
    for (int i = 0; i < 16 * 1024 + 1; i++) /* 16 MB of comment lines, and the plant */
        fputs(line, f);
    cr_assert(fclose(f) == 0);
    HRun r = run_bin("run", path, NULL);
    rm_tree(dir);
    free(small);
    expect_refused(&r, "17 MB description", "is larger than 16777216 bytes (at most 16 MB)");
}

/* A 10 MB string took 87 s to parse from a file (libconfig's file scanner
 * grows its buffer by the square); from memory it is fast, and refused. */
Test(harden_input, a_long_string_is_refused_quickly)
{
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/long.cfg", dir);
    char *small = source_text("tests/fixtures/small.cfg");
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("version = 1;\ntitle = \"", f);
    for (int i = 0; i < 10 * 1000 * 1000; i++)
        fputc('x', f);
    fputs("\";\n", f);
    fputs(strstr(small, "extractant"), f);
    cr_assert(fclose(f) == 0);
    HRun r = run_bin("run", path, NULL);
    rm_tree(dir);
    free(small);
    expect_refused(&r, "10 MB title", "title: a string of 10000000 bytes: at most 4095");
    cr_expect(strstr(r.err, "long.cfg:2: ") != NULL, "not at the title's line: %s", r.err);
}

/* ---- 4: only regular files, never a read without end ---------------------- */

/* dynamics.state_file = "/dev/zero" read forever. */
Test(harden_input, a_state_file_must_be_a_regular_file)
{
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/state.cfg", dir);
    char *base = source_text("configs/default.cfg"),
         *text = replaced(base, "initial = \"barren\";", "initial = \"state\"; state_file = \"/dev/zero\";");
    write_text(path, text);
    HRun r = run_bin("simulate", path, NULL);
    rm_tree(dir);
    free(base);
    free(text);
    expect_refused(&r, "state_file /dev/zero", "/dev/zero: the state file is not a regular file (a device)");
}

/* An @include of a FIFO blocked in open() for ever. */
Test(harden_input, an_include_must_be_a_regular_file)
{
    char dir[64], path[128], fifo[128];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/top.cfg", dir);
    snprintf(fifo, sizeof fifo, "%s/piece.cfg", dir);
    cr_assert(mkfifo(fifo, 0600) == 0);
    char *small = source_text("tests/fixtures/small.cfg"),
         *text = replaced(small, "version = 1;", "@include \"piece.cfg\"\nversion = 1;");
    write_text(path, text);
    HRun r = run_bin("run", path, NULL);
    rm_tree(dir);
    free(small);
    free(text);
    expect_refused(&r, "@include of a FIFO", "the included file is not a regular file (a FIFO or pipe)");
    cr_expect(strstr(r.err, "top.cfg:2: @include: ") != NULL, "not at the @include line: %s", r.err);
}

/* The shake-out reader took /dev/zero as lines of NUL bytes without end:
 * in a child, so that a read that never ends fails the test. */
Test(harden_input, a_shakeout_csv_must_be_a_regular_file)
{
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        char epath[PATH_MAX];
        snprintf(epath, sizeof epath, "%s/elements.tsv", rx_data_dir());
        RxElementTable *el = NULL;
        RxError err;
        rx_error_clear(&err);
        if (rx_elements_load(epath, &el, &err) != RX_OK)
            _exit(3);
        RxShakeoutData d;
        memset(&d, 0, sizeof d);
        int rc = rx_shakeout_read("/dev/zero", el, &d, &err);
        _exit(rc != RX_OK && strstr(err.msg, "not a regular file") ? 0 : 4);
    }
    int timed_out = 0, status = wait_limited(pid, &timed_out);
    cr_expect(!timed_out, "reading /dev/zero as a shake-out CSV did not end");
    cr_expect_eq(status, 0, "/dev/zero as a shake-out CSV: status %d (4: not refused as a non-regular file)", status);
}

/* ---- 12: @include beside the including file, with its file:line ----------- */

Test(harden_input, includes_resolve_against_the_including_file)
{
    char dir[64], sub[128], deeper[160], path[192];
    temp_dir(dir, sizeof dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(deeper, sizeof deeper, "%s/sub/more", dir);
    cr_assert(mkdir(sub, 0700) == 0 && mkdir(deeper, 0700) == 0);
    char *small = source_text("tests/fixtures/small.cfg");
    char *text = replaced(small, "version = 1;", "version = 1;\n@include \"more/solver.inc\"");
    write_in(sub, "top.cfg", text);
    write_in(deeper, "solver.inc", "# the solver of top.cfg\n@include \"iterations.inc\"\n");
    write_in(deeper, "iterations.inc", "solver = { max_iterations = 3000; };\n");
    snprintf(path, sizeof path, "%s/top.cfg", sub);
    HRun r = run_bin("run", path, NULL); /* from the suite's own working directory */
    cr_expect_eq(r.status, 0, "nested relative includes: exit %d; stderr: %s", r.status, r.err);
    /* an error in an included file is at that file's line */
    write_in(deeper, "iterations.inc", "\n\nsolver = { max_iterations = 0; };\n");
    r = run_bin("run", path, NULL);
    char want[256];
    snprintf(want, sizeof want, "reesx: %s/iterations.inc:3: solver.max_iterations: ", deeper);
    expect_refused(&r, "error in an include", "solver.max_iterations: ");
    cr_expect(strncmp(r.err, want, strlen(want)) == 0, "expected %s..., got %s", want, r.err);
    /* and the lines after an @include are the including file's own */
    write_in(deeper, "iterations.inc", "solver = { max_iterations = 3000; };\n");
    char *bad = replaced(text, "stages = 3; },", "stages = 0; },");
    write_in(sub, "top.cfg", bad);
    r = run_bin("run", path, NULL);
    snprintf(want, sizeof want, "reesx: %s/top.cfg:7: sections[0].stages: ", sub);
    cr_expect(strncmp(r.err, want, strlen(want)) == 0, "expected %s..., got %s", want, r.err);
    rm_tree(dir);
    free(small);
    free(text);
    free(bad);
}

Test(harden_input, an_include_of_itself_is_refused)
{
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    write_in(dir, "self.cfg", "version = 1;\n@include \"self.cfg\"\n");
    snprintf(path, sizeof path, "%s/self.cfg", dir);
    HRun r = run_bin("run", path, NULL);
    rm_tree(dir);
    expect_refused(&r, "self-include", "included files nest deeper than 10");
}

/* ---- 7: text that reaches the outputs is UTF-8 ----------------------------- */

/* A data file's names and source keys reach the outputs. */
Test(harden_input, a_data_file_must_be_utf8)
{
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    char *data = source_text("models/data/P507_chloride.tsv");
    char *latin = replaced(data, "literature", "litt\xe9rature");
    write_in(dir, "latin1.tsv", latin);
    char *small = source_text("tests/fixtures/small.cfg"),
         *text = replaced(small, "type = \"mass_action\";", "type = \"mass_action\"; data = \"latin1.tsv\";");
    write_in(dir, "plant.cfg", text);
    snprintf(path, sizeof path, "%s/plant.cfg", dir);
    HRun r = run_bin("run", path, NULL);
    rm_tree(dir);
    free(data);
    free(latin);
    free(small);
    free(text);
    expect_refused(&r, "Latin-1 data file", "latin1.tsv");
    cr_expect(strstr(r.err, "not UTF-8 text (byte 0xe9)") != NULL, "stderr: %s", r.err);
}

/* ---- 14: what a feed cannot dissolve --------------------------------------- */

/* The design search edits feeds in memory: the same bound holds there. */
Test(harden_input, an_edited_feed_cannot_hold_more_than_dissolves)
{
    char *text = source_text("tests/fixtures/small.cfg");
    RxPlant *p = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_assert_eq(rx_plant_load_text(text, "small", &p, &err), RX_OK, "%s", err.msg);
    RxFeedSet fs = {.feed = 0, .flow = -1, .acid = -1, .ncomp = 2, .sym = {"La", "Nd"}, .conc = {10, 10}};
    cr_expect_eq(rx_plant_set_feed(p, &fs, &err), RX_BAD_INPUT, "10 + 10 mol/L of metal was accepted");
    cr_expect(strstr(err.msg, "20 mol/L of metal") != NULL, "%s", err.msg);
    rx_plant_destroy(&p);
    free(text);
}

/* A flowsheet's tear tolerance is bounded like the circuit solver's: a
 * relative change of 1e-300 between tear iterations is below rounding. */
Test(harden_input, a_tear_tolerance_double_precision_cannot_reach_is_refused)
{
    char dir[64], path[128], circuits[PATH_MAX];
    temp_dir(dir, sizeof dir);
    snprintf(circuits, sizeof circuits, "file = \"%s/configs/ndpr_plant/", RX_SOURCE_DIR);
    char *base = source_text("configs/ndpr_plant.cfg"), *one = replaced(base, "file = \"ndpr_plant/", circuits),
         *two = replaced(one, "file = \"ndpr_plant/", circuits),
         *text = replaced(two, "flowsheet = {", "flowsheet = { tolerance = 1e-300;");
    snprintf(path, sizeof path, "%s/plant.cfg", dir);
    write_text(path, text);
    RxFlowsheet *fs = NULL;
    RxError err;
    rx_error_clear(&err);
    int rc = rx_flowsheet_load(path, &fs, &err);
    cr_expect_eq(rc, RX_BAD_INPUT, "tolerance = 1e-300 was accepted");
    cr_expect(strstr(err.msg, "flowsheet.tolerance: 1e-300: must be from 1e-14") != NULL, "%s: %s", err.where,
              err.msg);
    rx_flowsheet_destroy(&fs);
    rm_tree(dir);
    free(base);
    free(one);
    free(two);
    free(text);
}
