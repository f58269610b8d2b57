print("rlm-plan")
