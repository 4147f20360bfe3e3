/* Runs a command and writes what its whole process tree cost to a file, as one JSON object:
 *   {"user_us":U,"sys_us":S,"maxrss_kb":R,"exit":X}
 * getrusage(RUSAGE_CHILDREN) covers every descendant that was waited for; maxrss is the largest one's peak.
 * usage: rusage_run OUT_FILE COMMAND [ARGS...] */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: rusage_run OUT_FILE COMMAND [ARGS...]\n");
    return 2;
  }
  pid_t pid = fork();
  if (pid < 0) return perror("fork"), 2;
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror("execvp");
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {}
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE* out = fopen(argv[1], "w");
  if (!out) return perror(argv[1]), 2;
  fprintf(out, "{\"user_us\":%lld,\"sys_us\":%lld,\"maxrss_kb\":%ld,\"exit\":%d}\n",
          (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
          (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec, ru.ru_maxrss, code);
  fclose(out);
  return code;
}
