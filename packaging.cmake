# Install layout and the .deb. The installed upgradespec finds its catalogue beside itself:
# PREFIX/bin/upgradespec reads PREFIX/share/upgradespec/suite (runner/cli/main.cpp, suite_root).
include(GNUInstallDirs)
install(TARGETS upgradespec refserver RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY suite/ DESTINATION ${CMAKE_INSTALL_DATADIR}/upgradespec/suite
        FILES_MATCHING PATTERN "*.json" PATTERN "*.md")
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# `cpack -G DEB` in the build folder writes upgradespec_VERSION_ARCH.deb. Its Depends come from
# dpkg-shlibdeps (Debian's dpkg-dev) where it is installed, else from the list below, which
# names the Debian 12 packages of the libraries the two binaries link.
set(CPACK_PACKAGE_NAME upgradespec)
set(CPACK_PACKAGE_VENDOR "the upgradespec developers")
set(CPACK_PACKAGE_CONTACT "upgradespec developers <upgradespec@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://upgradespec.invalid/")
# CPack finds the binaries for dpkg-shlibdeps with `file` (not in a minimal Debian).
find_program(DPKG_SHLIBDEPS dpkg-shlibdeps)
find_program(FILE_COMMAND file)
if(DPKG_SHLIBDEPS AND FILE_COMMAND)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libc6 (>= 2.34), libstdc++6 (>= 12), libgcc-s1 (>= 3.0), libssl3 (>= 3.0.0), libnghttp2-14 (>= 1.52.0), zlib1g (>= 1:1.2.13), libboost-system1.74.0")
endif()
include(CPack)
