# The runner's layers (README, "Layout"), one static library each. A layer's headers are
# included as "<folder>/<file>.hpp" from an include root of its own that holds only that folder
# (a link in the build tree), and a library gets the roots of the layers it links: an #include
# of a layer it does not link is not found, so an include against the flow fails the build.
# tests/layering/check_includes.py checks the #include lines against the allowed-layer table.

# Gives `target` the include root build/layers/NAME, which holds only FOLDER (as its last name).
function(upgradespec_include_root target name folder scope)
  get_filename_component(dir ${folder} ABSOLUTE) # against the calling CMakeLists.txt's folder
  get_filename_component(leaf ${dir} NAME)
  set(root ${PROJECT_BINARY_DIR}/layers/${name})
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${dir} ${root}/${leaf} SYMBOLIC)
  target_include_directories(${target} ${scope} ${root})
endfunction()

# upgradespec_layer(NAME FOLDER SOURCES file... [PUBLIC dep...] [PRIVATE dep...]): the library
# upgradespec_NAME. PUBLIC: what the layer's headers include (its users get those too);
# PRIVATE: what only its sources include.
function(upgradespec_layer name folder)
  cmake_parse_arguments(LAYER "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(upgradespec_${name} STATIC ${LAYER_SOURCES})
  upgradespec_include_root(upgradespec_${name} ${name} ${folder} PUBLIC)
  target_link_libraries(upgradespec_${name} PUBLIC ${LAYER_PUBLIC} PRIVATE ${LAYER_PRIVATE})
endfunction()
