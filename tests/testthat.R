library(testthat)
library(lrdecay)

test_check("lrdecay")
