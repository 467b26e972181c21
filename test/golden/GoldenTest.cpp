// The whole reports on the bundled example, byte for byte. After an intended
// change: `IM_UPDATE_GOLDEN=1 ctest --test-dir build -R golden`, then review the
// diff of test/golden/ in the commit like any other code.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path &P) {
  std::ifstream In(P, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(In)), {});
}

/// The checkout path differs between machines; the reports must not otherwise.
std::string normalize(std::string S) {
  const std::string Root = IM_SOURCE_DIR;
  for (size_t P; (P = S.find(Root)) != std::string::npos;)
    S.replace(P, Root.size(), "$ROOT");
  return S;
}

TEST(Golden, PaymentServiceReportsAreByteIdentical) {
  fs::path Out = fs::temp_directory_path() / ("im-golden-" + std::to_string(getpid()));
  fs::remove_all(Out);
  fs::create_directories(Out);
  std::string Cmd = "cd '" IM_SOURCE_DIR "' && '" IM_TOOL "' -p compile_commands.example.json -j 2 "
                    "--quiet --output-dir '" + Out.string() + "' --glossary '" +
                    (Out / "glossary.json").string() + "' 2>&1";
  FILE *P = popen(Cmd.c_str(), "r");
  std::string Output;
  std::array<char, 4096> Buf;
  for (size_t N; (N = fread(Buf.data(), 1, Buf.size(), P)) > 0;)
    Output.append(Buf.data(), N);
  int Status = pclose(P);
  ASSERT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0) << Output;

  const fs::path Expected = fs::path(IM_GOLDEN_DIR) / "payment-service";
  bool Update = std::getenv("IM_UPDATE_GOLDEN") != nullptr;
  for (const char *F : {"INTEGRATION_RISK_ANALYSIS.md", "integration-report.json", "glossary.json"}) {
    std::string Got = normalize(readAll(Out / F));
    if (Update) {
      std::ofstream(Expected / F, std::ios::binary) << Got;
      continue;
    }
    ASSERT_TRUE(fs::exists(Expected / F)) << (Expected / F) << " missing: run IM_UPDATE_GOLDEN=1";
    std::string Want = readAll(Expected / F);
    if (Got != Want) {
      fs::path Actual = Out.parent_path() / (std::string("im-golden-actual-") + F);
      std::ofstream(Actual, std::ios::binary) << Got;
      ADD_FAILURE() << F << " differs from " << (Expected / F) << "; actual output kept in "
                    << Actual << " (diff them; IM_UPDATE_GOLDEN=1 rewrites after review)";
    }
  }
  fs::remove_all(Out);
}

} // namespace
