// Running the built tool as a user does, for the CLI test files.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace im::test {

struct ToolRun {
  int Exit = -1;
  std::string Output; // stdout and stderr
};

/// `integration-mapper <Args>` in `Cwd`, with its exit code and everything it printed.
inline ToolRun runTool(const std::string &Args, const std::string &Cwd) {
  std::string Cmd = "cd '" + Cwd + "' && '" IM_TOOL "' " + Args + " 2>&1";
  ToolRun R;
  FILE *P = popen(Cmd.c_str(), "r");
  std::array<char, 4096> Buf;
  size_t N;
  while ((N = fread(Buf.data(), 1, Buf.size(), P)) > 0)
    R.Output.append(Buf.data(), N);
  int Status = pclose(P);
  R.Exit = WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
  return R;
}

/// A fresh, empty directory `<tmp>/<Prefix><Name>-<pid>`.
inline std::filesystem::path freshTempDir(const std::string &Prefix, const std::string &Name) {
  namespace fs = std::filesystem;
  fs::path D = fs::temp_directory_path() / (Prefix + Name + "-" + std::to_string(getpid()));
  fs::remove_all(D);
  fs::create_directories(D);
  return D;
}

/// Writes `Text` to `P` (whose folder exists), replacing it.
inline void write(const std::filesystem::path &P, const std::string &Text) { std::ofstream(P) << Text; }

inline std::string slurp(const std::filesystem::path &P) {
  std::ifstream In(P);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// The JSON document in `P` (a report the tool wrote).
inline nlohmann::json readJson(const std::filesystem::path &P) {
  std::ifstream In(P);
  return nlohmann::json::parse(In);
}

} // namespace im::test
