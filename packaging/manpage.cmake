# Writes a man page from a program's --help, so that every verb, option and exit code it documents is in
# the page and the two never drift apart.
#   cmake -DPROGRAM=path -DNAME=mcpwb -DSUMMARY="..." -DVERSION=0.1.0 -DOUTPUT=mcpwb.1 -P manpage.cmake
execute_process(COMMAND ${PROGRAM} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR help STREQUAL "")
  message(FATAL_ERROR "${PROGRAM} --help failed (${status}): no man page for ${NAME}")
endif()
# The usage line names the program by the path it was run from.
string(REPLACE "${PROGRAM}" "${NAME}" help "${help}")
# roff: a backslash is an escape, and a line starting with a dot or an apostrophe is a request.
string(REPLACE "\\" "\\e" help "${help}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
file(WRITE ${OUTPUT}
".TH ${NAME} 1 \"\" \"${NAME} ${VERSION}\" \"User Commands\"
.SH NAME
${NAME} \\- ${SUMMARY}
.SH DESCRIPTION
The text below is what
.B ${NAME} --help
prints.
.PP
.nf
.ft CR
${help}.ft R
.fi
.SH SEE ALSO
${SEE_ALSO}
")
