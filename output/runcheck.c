/*
 * output/runcheck.c - a restart checks that its state file and the
 * summary.json beside it are of one run (rx_check_restart, output/output.h).
 *
 * rx_write_outputs stamps simulate's summary.json and final.state with one
 * run id and publishes the summary first and the state last, so a set cut
 * short while it was renamed into place (power cut, SIGKILL), or two runs
 * into one directory, show as a summary and a state of different ids; a
 * restart would otherwise continue silently from an old state beside a
 * new timeseries.csv.
 */
#include "output/writer.h"

#include "core/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first line of a state file (solver/dyn_state.c), then " run ID". */
#define STATE_MAGIC "reesx-state 1"
#define STATE_RUN " run "
/* The first line of a state file is read up to this many bytes. */
#define STATE_LINE_MAX 512
/* simulate's summary.json is a few kB; a larger file is not one. */
#define SUMMARY_MAX (1 << 20)

/* Up to max bytes of the regular file at path, NUL-terminated (malloc'd;
 * *len bytes); NULL when it is missing, not a regular file or unreadable.
 * *whole: the file had no more than max bytes. */
static char *read_start(const char *path, size_t max, size_t *len, int *whole)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC); /* a FIFO must not block */
    struct stat st;
    char *buf = NULL;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (buf = malloc(max + 1)) != NULL) {
        size_t n = 0;
        ssize_t k;
        while (n < max && (k = read(fd, buf + n, max - n)) != 0)
            if (k > 0)
                n += (size_t)k;
            else if (errno != EINTR)
                break;
        buf[n] = '\0';
        *len = n;
        *whole = (off_t)n == st.st_size;
    }
    close(fd);
    return buf;
}

/* The run id on the state file's first line into id ("" if it has none).
 * 0, or -1 when the file cannot be read or is no state file (its reader
 * says why). */
static int state_run_id(const char *path, char *id, size_t n)
{
    size_t len = 0;
    int whole = 0;
    char *text = read_start(path, STATE_LINE_MAX, &len, &whole);
    id[0] = '\0';
    if (!text || strncmp(text, STATE_MAGIC, strlen(STATE_MAGIC)) != 0) {
        free(text);
        return -1;
    }
    const char *p = text + strlen(STATE_MAGIC);
    if (strncmp(p, STATE_RUN, strlen(STATE_RUN)) == 0) {
        p += strlen(STATE_RUN);
        size_t k = strcspn(p, " \r\n");
        snprintf(id, n, "%.*s", (int)(k < n ? k : n - 1), p);
    }
    free(text);
    return 0;
}

/* The summary.json in the folder of state_path, parsed; NULL if there is
 * none (or it is no JSON a simulation wrote). */
static cJSON *summary_beside(const char *state_path)
{
    const char *slash = strrchr(state_path, '/');
    int dirlen = slash ? (int)(slash - state_path) : 1;
    char path[RX_PATH_MAX];
    int k = snprintf(path, sizeof path, "%.*s/summary.json", dirlen, slash ? state_path : ".");
    if (k < 0 || (size_t)k >= sizeof path)
        return NULL;
    size_t len = 0;
    int whole = 0;
    char *text = read_start(path, SUMMARY_MAX, &len, &whole);
    cJSON *j = text && whole ? cJSON_ParseWithLength(text, len) : NULL;
    free(text);
    if (j && !cJSON_GetObjectItemCaseSensitive(j, "completed")) { /* run's or cost's, not simulate's */
        cJSON_Delete(j);
        j = NULL;
    }
    return j;
}

int rx_check_restart(const char *state_path, RxError *err)
{
    char sid[RX_RUN_ID_LEN];
    if (state_run_id(state_path, sid, sizeof sid) != 0)
        return RX_OK;
    cJSON *sum = summary_beside(state_path);
    if (!sum)
        return RX_OK;
    const cJSON *rid = cJSON_GetObjectItemCaseSensitive(sum, "run_id");
    const char *summary_id = cJSON_IsString(rid) ? rid->valuestring : "";
    int rc = RX_OK;
    if (strcmp(sid, summary_id) != 0)
        rc = rx_error_set(err, RX_BAD_INPUT, state_path,
                          "not of the run whose summary.json is beside it (state of run %s, summary.json of run "
                          "%s): the files are of different runs (a write cut short, or two runs into one "
                          "directory); restart from a state whose summary.json matches",
                          sid[0] ? sid : "(none)", summary_id[0] ? summary_id : "(none)");
    cJSON_Delete(sum);
    return rc;
}
