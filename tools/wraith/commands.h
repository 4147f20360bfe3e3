// The wraith CLI's subcommands. Each takes the arguments after its name and returns the exit code.
#pragma once

namespace wraith::cli {

int get_command(int argc, char** argv);      // wraith [get] URL...
int inspect_command(int argc, char** argv);  // wraith inspect [--port P] [--out DIR]
int demo_command(int argc, char** argv);     // wraith demo --reference FILE
int bench_command(int argc, char** argv);    // wraith bench --url URL --n N --concurrency C
int profile_command(int argc, char** argv);  // wraith profile capture [--browser PATH] [--out FILE]

}  // namespace wraith::cli
