#include "compdb/CompileDb.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace im::compdb;
using testing::HasSubstr;

TEST(CompileDb, SplitsShellQuoting) {
  EXPECT_THAT(splitCommandLine(R"(g++ -DNAME="a b" -I'x y' a\ b.cpp -c)"),
              testing::ElementsAre("g++", "-DNAME=a b", "-Ix y", "a b.cpp", "-c"));
}

TEST(CompileDb, RelativeDirectoryResolvesAgainstTheDatabaseFolder) {
  auto Db = parse("/repo/compile_commands.json",
                  R"([{"directory": "examples/svc", "file": "src/a.cpp", "command": "c++ -c src/a.cpp"}])");
  ASSERT_TRUE(static_cast<bool>(Db)) << llvm::toString(Db.takeError());
  ASSERT_EQ(Db->Commands.size(), 1u);
  EXPECT_EQ(Db->Commands[0].Directory, "/repo/examples/svc");
  EXPECT_EQ(Db->Commands[0].File, "/repo/examples/svc/src/a.cpp");
  EXPECT_FALSE(Db->Commands[0].Exists);
}

TEST(CompileDb, FileListedTwiceIsKeptOnce) {
  auto Db = parse("/r/compile_commands.json", R"([
    {"directory": "/r", "file": "a.cpp", "arguments": ["c++", "-c", "a.cpp"]},
    {"directory": "/r", "file": "/r/./a.cpp", "arguments": ["c++", "-DX", "-c", "a.cpp"]}])");
  ASSERT_TRUE(static_cast<bool>(Db));
  EXPECT_EQ(Db->Commands.size(), 1u);
  EXPECT_THAT(Db->Duplicates, testing::ElementsAre("/r/a.cpp"));
}

TEST(CompileDb, MalformedJsonNamesFileAndPosition) {
  auto Db = parse("build/compile_commands.json", "[\n  {\"directory\": \"/r\",\n  ]");
  ASSERT_FALSE(static_cast<bool>(Db));
  EXPECT_EQ(llvm::toString(Db.takeError()),
            "build/compile_commands.json: not a JSON compilation database: invalid JSON at line "
            "3, column 3");
}

TEST(CompileDb, WrongShapeIsExplained) {
  auto Db = parse("cc.json", R"({"directory": "/r"})");
  ASSERT_FALSE(static_cast<bool>(Db));
  EXPECT_EQ(llvm::toString(Db.takeError()),
            "cc.json: not a JSON compilation database: expected an array of commands");
  auto Db2 = parse("cc.json", R"([{"directory": "/r", "file": "a.cpp"}])");
  ASSERT_FALSE(static_cast<bool>(Db2));
  EXPECT_EQ(llvm::toString(Db2.takeError()), "cc.json: entry 1: needs \"arguments\" or \"command\"");
}
