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

#include "rx.h"

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

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *t = malloc((size_t)n + 1);
    cr_assert(t && fread(t, 1, (size_t)n, f) == (size_t)n);
    t[n] = '\0';
    fclose(f);
    return t;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    fputs(text, f);
    cr_assert(fclose(f) == 0);
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

